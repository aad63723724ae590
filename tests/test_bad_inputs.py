"""The README's table of bad inputs: one test per row, each a clear error or a counted skip.

Each row names what a user does wrong and the message they see; `CLI_ROWS` checks that the
command line turns them into one line and exit code 2, never a traceback.
"""

import logging
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import load_folder, load_tfds, make_dataset
from keras_gans.training import TrainConfig

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def png(path, shape, value=100):
    tf.io.write_file(str(path), tf.io.encode_png(np.full(shape, value, np.uint8)))


def test_corrupt_file_in_a_folder_is_skipped_counted_and_logged(tmp_path, caplog):
    png(tmp_path / "good.png", (12, 12, 1))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with caplog.at_level(logging.WARNING):
        dataset, info = load_folder(str(tmp_path), 8, 1)
    assert info.num_examples == 1
    assert "Skipped 1 unreadable image file(s) of 2" in caplog.text


def test_empty_folder(tmp_path):
    with pytest.raises(ValueError, match=r"No image files found under .*; searched recursively for \.png"):
        load_folder(str(tmp_path), 8, 1)


def test_mixed_sizes_are_resized(tmp_path):
    png(tmp_path / "small.png", (9, 13, 1))
    png(tmp_path / "large.png", (40, 30, 1))
    dataset, _ = load_folder(str(tmp_path), 16, 1)
    assert [tuple(e["images"].shape) for e in dataset] == [(16, 16, 1), (16, 16, 1)]


def test_grey_and_colour_mixed_are_converted(tmp_path):
    png(tmp_path / "grey.png", (10, 10, 1))
    png(tmp_path / "colour.png", (10, 10, 3))
    for channels in (1, 3):
        dataset, _ = load_folder(str(tmp_path), 8, channels)
        assert {e["images"].shape[-1] for e in dataset} == {channels}


def test_unknown_tfds_name():
    with pytest.raises(ValueError, match="no_such_dataset_xyz"):
        load_tfds("no_such_dataset_xyz", 16, 1)


def test_labels_out_of_range(tmp_path):
    from keras_gans.data import dataset_from_arrays

    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\); received min 0, max 10"):
        dataset_from_arrays(np.zeros((4, 8, 8, 1)), [0, 1, 10, 2], num_classes=10, batch_size=2)


def test_global_batch_not_divisible_by_replicas():
    with pytest.raises(ValueError, match="global batch 10 cannot be split evenly over 4 replicas"):
        make_dataset("digits", 8, 1, batch_size=10, num_replicas=4)


def test_contradictory_flags():
    with pytest.raises(ValueError, match=r"--stage applies to stackgan only; received --model=cgan with --stage=2"):
        TrainConfig(model="cgan", stage=2)
    with pytest.raises(ValueError, match=r"--levels applies to lapgan only; received --model=dcgan"):
        TrainConfig(model="dcgan", levels=3)


def test_a_keras_file_that_is_not_one(tmp_path):
    from keras_gans.export import load_generator

    fake = tmp_path / "model.keras"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="model.keras"):
        load_generator(str(fake))


def test_an_onnx_file_that_is_not_one(tmp_path):
    from keras_gans.export import load_generator

    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"\x00\x01 not a protobuf")
    with pytest.raises(ValueError, match="model.onnx"):
        load_generator(str(fake))


CLI_ROWS = [
    ("keras_gans.flags.train", ["--dataset=folder:{empty}"], "No image files found under"),
    ("keras_gans.flags.train", ["--model=cgan", "--stage=2"], "--stage applies to stackgan only"),
    ("keras_gans.flags.train", ["--dataset=tfds:no_such_dataset_xyz"], "no_such_dataset_xyz"),
    ("keras_gans.flags.sample_main", ["--model_path={fake}", "--output={out}"], "model.keras"),
]


@pytest.mark.parametrize("module, args, message", CLI_ROWS)
def test_cli_rows_are_one_line_and_exit_2(module, args, message, tmp_path):
    (tmp_path / "empty").mkdir()
    fake = tmp_path / "model.keras"
    fake.write_bytes(b"not a zip")
    args = [a.format(empty=tmp_path / "empty", fake=fake, out=tmp_path / "grid.png") for a in args]
    result = subprocess.run(
        [sys.executable, "-m", module, *args, f"--output_dir={tmp_path / 'run'}"]
        if module.endswith("train") else [sys.executable, "-m", module, *args],
        capture_output=True, text=True, env=ENV, timeout=300,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and message in errors[0]
