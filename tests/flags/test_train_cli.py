"""`keras-gans-train` as a user runs it: flags, presets and one-line errors."""

import json
import os
import subprocess
import sys

import pytest

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "keras_gans.flags.train", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def test_tiny_run_writes_the_run_folder(tmp_path):
    result = run_cli(
        "--model=gan",
        "--epochs=1",
        "--steps_per_epoch=2",
        "--noexport",
        "--noevaluate",
        "--verbose=0",
        f"--output_dir={tmp_path}",
    )
    assert result.returncode == 0, result.stderr
    assert "Run folder:" in result.stdout
    assert (tmp_path / "model.keras").is_file() and (
        tmp_path / "samples" / "epoch_0001.png"
    ).is_file()


@pytest.mark.parametrize(
    "flag, listed",
    [
        ("--model=vae", "value should be one of <gan|cgan|dcgan"),
        ("--dataset=imagenet", "--dataset must be one of digits, tfds:NAME[:SPLIT], folder:PATH"),
        ("--strategy=tpu", "value should be one of <default|mirrored|multiworker>"),
        # Not a training mode (no gradient penalty, one critic step): the flag lists the real ones.
        (
            "--loss=wasserstein",
            "value should be one of <minimax|non_saturating|least_squares|hinge>",
        ),
    ],
)
def test_bad_flags_list_the_choices(flag, listed, cli):
    # --dry_run: a flag wrongly accepted fails fast instead of training. absl's own flag error:
    # app.run prints it and exits 1 (`test_library_errors_become_one_line_and_exit_2` runs the
    # real process).
    result = cli.run("train", [flag, "--dry_run"])
    assert result["code"] == 1 and result["traceback"] == "", result
    assert listed in result["stderr"]
    assert "Traceback" not in result["stderr"]


def test_library_errors_become_one_line_and_exit_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(f"--dataset=folder:{empty}", f"--output_dir={tmp_path / 'o'}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and str(empty) in error_lines[0]


def test_presets_and_flagfiles_dry_run(tmp_path, cli):
    # --dry_run parses and validates the flags, resolves the config, trains nothing. A preset
    # is named by --preset (models/<model>/presets.py); absl's --flagfile still reads flags
    # from a file.
    flagfile = tmp_path / "mine.cfg"
    flagfile.write_text("--preset=dcgan_paper\n--epochs=2\n")
    result = cli.run("train", [f"--flagfile={flagfile}", "--dry_run"])
    assert result["code"] == 0, result
    config = json.loads(result["stdout"])
    assert (config["model"], config["preset"], config["epochs"]) == ("dcgan", "dcgan_paper", 2)
    assert (config["dataset"], config["base_filters"], config["image_size"]) == (
        "tfds:lsun/bedroom",
        64,
        64,
    )


def test_lapgan_cifar10_preset_builds_what_its_comment_says():
    import re

    from keras_gans.data import DatasetInfo
    from keras_gans.models import LAPGAN
    from keras_gans.models.lapgan import presets

    source = open(presets.__file__, encoding="utf-8").read()
    promised = int(
        re.search(r"CIFAR-10: 8 -> 16 -> 32, coarse MLPs of (\d+) units", source).group(1)
    )
    info = DatasetInfo(num_examples=50000, num_classes=10, image_size=32, channels=3)
    model = LAPGAN.from_preset("lapgan_cifar10", info=info)
    coarse_g, coarse_d = model.generators[0], model.discriminators[0]

    def hidden_units(network):
        dense = [layer.units for layer in network.layers if layer.__class__.__name__ == "Dense"]
        return dense[:-1]  # the last Dense is the output layer

    assert hidden_units(coarse_g) == [promised, promised]
    assert hidden_units(coarse_d) == [promised, promised]
