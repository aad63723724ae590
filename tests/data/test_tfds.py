"""Tests for keras_gans.data.tfds_source, on TFDS mock data (no download)."""

import re

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
    with pytest.raises(ValueError, match=re.escape("Unknown TFDS dataset name 'no_such_dataset_xyz'")):
        load_tfds("no_such_dataset_xyz", image_size=8, channels=1)


def test_unknown_name_through_make_dataset():
    with pytest.raises(ValueError, match=re.escape("Unknown TFDS dataset name 'no_such_dataset_xyz'")):
        make_dataset("tfds:no_such_dataset_xyz", image_size=8, channels=1, batch_size=2)


def test_missing_image_key(mock_tfds):
    with pytest.raises(ValueError, match=r"image_key must name an image feature of 'mnist'.*received 'pixels'"):
        load_tfds("mnist", image_size=8, channels=1, image_key="pixels")


def test_missing_label_key_gives_no_labels(mock_tfds):
    dataset, info = load_tfds("mnist", image_size=8, channels=1, label_key="nope")
    assert info.num_classes is None
    assert set(dataset.element_spec) == {"images"}


def test_make_dataset_tfds_with_split(mock_tfds):
    dataset, info = make_dataset("tfds:cifar10:test", image_size=8, channels=3, batch_size=4, shuffle=False)
    assert info.num_examples == NUM_EXAMPLES and info.num_classes == 10
    batches = list(dataset.as_numpy_iterator())
    assert len(batches) == 1  # 6 examples, batch 4, remainder dropped
    assert batches[0]["images"].shape == (4, 8, 8, 3)
    assert batches[0]["labels"].shape == (4,)
