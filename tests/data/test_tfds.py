"""Tests for keras_gans.data.tfds_source: on TFDS mock data, and offline with the real tfds."""

import os
import re
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans.data import DatasetInfo, load_tfds, make_dataset

NUM_EXAMPLES = 6


@pytest.fixture
def mock_tfds():
    with tfds.testing.mock_data(num_examples=NUM_EXAMPLES):
        yield


def _collect(dataset):
    elements = list(dataset.as_numpy_iterator())
    images = np.stack([e["images"] for e in elements])
    labels = np.stack([e["labels"] for e in elements]) if "labels" in elements[0] else None
    return images, labels


def _check_images(images, size, channels):
    assert images.shape == (NUM_EXAMPLES, size, size, channels)
    assert images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0


def test_mnist_one_channel(mock_tfds):
    dataset, info = load_tfds("mnist", image_size=28, channels=1)
    assert info == DatasetInfo(num_examples=NUM_EXAMPLES, num_classes=10, image_size=28, channels=1)
    assert dataset.element_spec["images"] == tf.TensorSpec([28, 28, 1], tf.float32)
    assert dataset.element_spec["labels"] == tf.TensorSpec([], tf.int32)
    images, labels = _collect(dataset)
    _check_images(images, 28, 1)
    assert labels.dtype == np.int32
    assert labels.min() >= 0 and labels.max() < 10


def test_mnist_resized_to_rgb(mock_tfds):
    dataset, info = load_tfds("mnist", image_size=16, channels=3)
    images, _ = _collect(dataset)
    _check_images(images, 16, 3)
    assert info.channels == 3
    # Grey to RGB copies the one channel.
    np.testing.assert_array_equal(images[..., 0], images[..., 1])
    np.testing.assert_array_equal(images[..., 0], images[..., 2])


def test_cifar10_three_channels_and_to_grey(mock_tfds):
    rgb, _ = _collect(load_tfds("cifar10", image_size=32, channels=3, split="test")[0])
    _check_images(rgb, 32, 3)
    grey_dataset, info = load_tfds("cifar10", image_size=32, channels=1, split="test")
    grey, labels = _collect(grey_dataset)
    _check_images(grey, 32, 1)
    assert info.num_classes == 10 and labels is not None
    # Mock data is deterministic, so the grey images are the luma of the RGB ones.
    expected = tf.image.rgb_to_grayscale((rgb + 1.0) / 2.0).numpy() * 2.0 - 1.0
    np.testing.assert_allclose(grey, expected, atol=1e-5)


def test_unknown_name_is_a_short_value_error():
    with pytest.raises(
        ValueError, match=re.escape("Unknown TFDS dataset name 'no_such_dataset_xyz'")
    ):
        load_tfds("no_such_dataset_xyz", image_size=8, channels=1)


def test_unknown_name_through_make_dataset():
    with pytest.raises(
        ValueError, match=re.escape("Unknown TFDS dataset name 'no_such_dataset_xyz'")
    ):
        make_dataset("tfds:no_such_dataset_xyz", image_size=8, channels=1, batch_size=2)


def test_missing_image_key(mock_tfds):
    with pytest.raises(
        ValueError, match=r"image_key must name an image feature of 'mnist'.*received 'pixels'"
    ):
        load_tfds("mnist", image_size=8, channels=1, image_key="pixels")


def test_missing_label_key_gives_no_labels(mock_tfds):
    dataset, info = load_tfds("mnist", image_size=8, channels=1, label_key="nope")
    assert info.num_classes is None
    assert set(dataset.element_spec) == {"images"}


def test_make_dataset_tfds_with_split(mock_tfds):
    dataset, info = make_dataset(
        "tfds:cifar10:test", image_size=8, channels=3, batch_size=4, shuffle=False
    )
    assert info.num_examples == NUM_EXAMPLES and info.num_classes == 10
    batches = list(dataset.as_numpy_iterator())
    assert len(batches) == 1  # 6 examples, batch 4, remainder dropped
    assert batches[0]["images"].shape == (4, 8, 8, 3)
    assert batches[0]["labels"].shape == (4,)


def test_unprepared_dataset_offline_is_one_line_that_says_how_to_provide_it(tmp_path):
    # Real tfds (no mocks), an empty TFDS_DATA_DIR, and every download sent to a proxy on a
    # localhost port that refuses connections: the CLI must say how to provide the data, fast.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        proxy = f"http://127.0.0.1:{closed.getsockname()[1]}"
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "CUDA_VISIBLE_DEVICES": "",
            "TFDS_DATA_DIR": str(tmp_path / "tfds"),
            "NO_PROXY": "",
            "no_proxy": "",
        }
        env.update(
            {name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
        )
        start = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "keras_gans.flags.train",
                "--model=dcgan",
                "--dataset=tfds:mnist",
                f"--output_dir={tmp_path / 'run'}",
                "--epochs=1",
                "--steps_per_epoch=1",
                "--noexport",
                "--noevaluate",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        seconds = time.monotonic() - start
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(
        f"keras-gans-train: error: TFDS dataset 'mnist' is not prepared in {tmp_path / 'tfds'}"
    )
    assert "cannot be downloaded (storage.googleapis.com unreachable: ProxyError)" in errors[0]
    assert "`tfds build mnist`" in errors[0] and "TFDS_DATA_DIR" in errors[0]
    assert seconds < 60, f"took {seconds:.0f} s"
