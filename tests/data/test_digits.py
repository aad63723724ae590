"""Tests for keras_gans.data.digits."""

import numpy as np
import pytest
from sklearn.datasets import load_digits as sk_load_digits

from keras_gans.data import DIGITS_NUM_CLASSES, load_digits


@pytest.mark.parametrize("image_size", [8, 16, 32])
def test_shapes_dtypes_and_range(image_size):
    images, labels = load_digits(image_size)
    assert images.shape == (1797, image_size, image_size, 1)
    assert images.dtype == np.float32
    assert labels.shape == (1797,)
    assert labels.dtype == np.int32
    assert images.min() >= -1.0 and images.max() <= 1.0
    # Blank background stays at -1 after resizing; strokes reach near the top of the range.
    assert images.min() == -1.0
    assert images.max() > 0.9


def test_default_size_is_16():
    images, _ = load_digits()
    assert images.shape[1:] == (16, 16, 1)


def test_scaling_at_native_size():
    images, _ = load_digits(8)
    raw = sk_load_digits().images
    np.testing.assert_allclose(images[..., 0], raw / 8.0 - 1.0, atol=1e-6)


def test_labels_are_all_ten_digits():
    _, labels = load_digits(8)
    assert len(labels) == 1797
    assert DIGITS_NUM_CLASSES == 10
    assert sorted(np.unique(labels).tolist()) == list(range(10))


@pytest.mark.parametrize("bad", [7, 0, -16, 16.0, "16", True])
def test_image_size_too_small_or_not_int(bad):
    with pytest.raises(ValueError, match=rf"image_size must be an integer >= 8; received {bad!r}"):
        load_digits(bad)
