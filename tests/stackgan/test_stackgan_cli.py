"""`keras-gans-train --model=stackgan --stage=2` without a trained Stage I: a one-line error."""

import os
import subprocess
import sys


def test_stage2_without_stage1_is_a_one_line_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keras_gans.flags.train",
            "--preset=stackgan",
            "--stage=2",
            f"--stage1_model={tmp_path / 'missing.keras'}",
            f"--output_dir={tmp_path / 'run'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""},
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert (
        "keras-gans-train: error: stage=2 needs a trained Stage I, but there is no file"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
