"""`keras-gans-export` and `keras-gans-sample` as a user runs them."""

import os
import subprocess
import sys

import pytest
import tensorflow as tf
from cli_client import one_error_line

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def run_cli(module, *args):
    return subprocess.run(
        [sys.executable, "-m", f"keras_gans.flags.{module}", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


@pytest.fixture(scope="module")
def run_dir(export_of, tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    export_of("cgan").model.save(str(folder / "model.keras"))
    return folder


def test_export_then_sample(run_dir, cli):
    # keras-gans-export as its own process (the real `app.run`); keras-gans-sample in the
    # session's worker (its real `app.run` runs in tests/test_bad_inputs.py).
    result = run_cli("export_main", f"--run_dir={run_dir}", "--formats=saved_model,onnx")
    assert result.returncode == 0, result.stderr
    assert "exported version 1: generator (saved_model, onnx)" in result.stdout
    version = run_dir / "export" / "generator" / "1"
    assert (version / "saved_model.pb").is_file() and (version / "model.onnx").is_file()
    assert (run_dir / "export" / "models.config").is_file()

    output = run_dir / "grid.png"
    result = cli.run(
        "sample_main",
        [
            f"--model_path={version / 'model.onnx'}",
            f"--output={output}",
            "--num_images=6",
            "--labels=0,1,2",
            "--seed=1",
        ],
    )
    assert result["code"] == 0, result
    assert tf.io.decode_png(output.read_bytes()).shape == (16, 24, 1)


def test_sample_interpolate_writes_the_grid_and_the_gif(run_dir, cli):
    from PIL import Image

    output = run_dir / "walk.png"
    # The run folder itself: its model.keras.
    result = cli.run(
        "sample_main",
        [f"--model_path={run_dir}", f"--output={output}", "--interpolate=5", "--rows=3"],
    )
    assert result["code"] == 0, result
    assert tf.io.decode_png(output.read_bytes()).shape == (3 * 8, 5 * 8, 1)
    with Image.open(run_dir / "walk.gif") as gif:
        # One frame per step, each the 3 walks' images on a near-square 2 x 2 grid.
        assert (gif.n_frames, gif.size) == (5, (16, 16))
    assert "wrote" in result["stdout"] and "walk.gif (5 frames of 16x16)" in result["stdout"]


@pytest.mark.parametrize(
    "module, args, message",
    [
        (
            "export_main",
            ["--run_dir={run_dir}", "--formats=saved_model,tflite"],
            "keras-gans-export: error: Unknown export format 'tflite'; "
            "expected one of ('saved_model', 'onnx').",
        ),
        (
            "sample_main",
            ["--model_path={run_dir}/model.keras", "--labels=0,7", "--output={run_dir}/bad.png"],
            "keras-gans-sample: error: Input 'labels' must lie in [0, 3) (class ids); "
            "received min 0, max 7.",
        ),
        (
            "sample_main",
            ["--model_path={run_dir}", "--interpolate=1", "--output={run_dir}/bad.png"],
            "keras-gans-sample: error: An interpolation needs at least 2 steps (both ends); "
            "received 1.",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(run_dir, module, args, message, cli):
    # In the session's worker for the tool (`cli_client`), as the sample commands above.
    result = cli.run(module, [a.format(run_dir=run_dir) for a in args])
    assert one_error_line(result, message.split(":")[0]) == message
