"""`keras-gans-train --model=stackgan --stage=2` without a trained Stage I: a one-line error."""

from cli_client import one_error_line


def test_stage2_without_stage1_is_a_one_line_error(tmp_path, cli):
    result = cli.run(
        "train",
        [
            "--preset=stackgan",
            "--stage=2",
            f"--stage1_model={tmp_path / 'missing.keras'}",
            f"--output_dir={tmp_path / 'run'}",
        ],
    )
    line = one_error_line(result, "keras-gans-train")
    assert line.startswith(
        "keras-gans-train: error: stage=2 needs a trained Stage I, but there is no file"
    )
