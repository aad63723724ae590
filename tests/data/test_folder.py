"""Tests for keras_gans.data.folder, on images written into tmp_path."""

import re

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import load_folder, make_dataset


def _write(path, value, size=(10, 12), channels=3, fmt="png"):
    """Writes a constant-valued uint8 image; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = tf.fill([size[0], size[1], channels], tf.constant(value, tf.uint8))
    data = tf.io.encode_png(pixels) if fmt == "png" else tf.io.encode_jpeg(pixels, quality=100)
    path.write_bytes(data.numpy())
    return path


def _collect(dataset):
    return list(dataset.as_numpy_iterator())


def test_flat_folder_has_no_labels(tmp_path):
    _write(tmp_path / "a.png", 0, channels=1)
    _write(tmp_path / "b.png", 255, size=(20, 7), channels=4)
    _write(tmp_path / "sub" / "c.png", 128, channels=3)  # nested files are found too
    (tmp_path / "notes.txt").write_text("not an image")
    dataset, info = load_folder(tmp_path, image_size=8, channels=3)
    assert info.num_examples == 3 and info.num_classes is None
    assert info.image_size == 8 and info.channels == 3
    elements = _collect(dataset)
    assert [set(e) for e in elements] == [{"images"}] * 3
    images = np.stack([e["images"] for e in elements])
    assert images.shape == (3, 8, 8, 3) and images.dtype == np.float32
    # Sorted file order: a (black), b (white), sub/c (mid grey).
    np.testing.assert_allclose(images[0], -1.0, atol=1e-6)
    np.testing.assert_allclose(images[1], 1.0, atol=1e-6)
    np.testing.assert_allclose(images[2], 128 / 255 * 2 - 1, atol=1e-5)


def test_class_subfolders_give_sorted_labels(tmp_path):
    # Each class gets its own grey level so labels can be checked against pixels.
    levels = {"ant": 0, "bee": 100, "cat": 200}
    for name, value in levels.items():
        for i in range(2):
            _write(tmp_path / name / f"{i}.png", value)
    _write(tmp_path / "bee" / "deeper" / "x.png", levels["bee"])
    dataset, info = load_folder(str(tmp_path), image_size=6, channels=1)
    assert info.num_examples == 7 and info.num_classes == 3
    elements = _collect(dataset)
    labels = [int(e["labels"]) for e in elements]
    assert sorted(labels) == [0, 0, 1, 1, 1, 2, 2]
    for e in elements:
        assert e["labels"].dtype == np.int32
        assert e["images"].shape == (6, 6, 1)
        expected = list(levels.values())[e["labels"]] / 255 * 2 - 1
        # RGB to grey weights sum to 0.9999, hence the tolerance.
        np.testing.assert_allclose(e["images"], expected, atol=1e-3)


def test_mixed_png_and_jpg(tmp_path):
    _write(tmp_path / "dark" / "a.png", 0)
    _write(tmp_path / "dark" / "b.JPG", 0, fmt="jpg")
    _write(tmp_path / "light" / "c.jpeg", 255, fmt="jpg")
    _write(tmp_path / "light" / "d.png", 255, channels=1)
    dataset, info = load_folder(tmp_path, image_size=8, channels=3)
    assert info.num_examples == 4 and info.num_classes == 2
    for e in _collect(dataset):
        assert e["images"].shape == (8, 8, 3)
        target = -1.0 if e["labels"] == 0 else 1.0
        np.testing.assert_allclose(e["images"], target, atol=0.02)  # JPEG is lossy


def test_empty_folder(tmp_path):
    (tmp_path / "readme.txt").write_text("no images here")
    message = (
        f"No image files found under '{tmp_path}'; "
        "searched recursively for .png, .jpg, .jpeg, .bmp, .gif"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        load_folder(tmp_path, image_size=8, channels=1)


def test_missing_folder(tmp_path):
    missing = tmp_path / "nope"
    message = (
        f"Image folder '{missing}' does not exist or is not a directory (looked for .png, .jpg"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        load_folder(missing, image_size=8, channels=1)
    with pytest.raises(ValueError, match=re.escape(message)):
        make_dataset(f"folder:{missing}", image_size=8, channels=1, batch_size=2)


def test_bad_channels(tmp_path):
    _write(tmp_path / "a.png", 0)
    with pytest.raises(ValueError, match=re.escape("channels must be 1 or 3; received 2")):
        load_folder(tmp_path, image_size=8, channels=2)


def test_make_dataset_from_folder(tmp_path):
    for i in range(20):
        _write(tmp_path / ("x" if i % 2 else "y") / f"{i}.png", 10 * i)
    dataset, info = make_dataset(
        f"folder:{tmp_path}", image_size=8, channels=1, batch_size=2, seed=3
    )
    # 4 of the 20 are held out for evaluation (`heldout_split`).
    assert info.num_classes == 2 and info.num_examples == 16
    batches = _collect(dataset)
    assert len(batches) == 8
    assert all(b["images"].shape == (2, 8, 8, 1) and b["labels"].shape == (2,) for b in batches)
    with pytest.raises(ValueError, match=re.escape("with_labels=True needs a labelled source")):
        _write(tmp_path / "top.png", 0)  # an image at the top level: no labels any more
        make_dataset(f"folder:{tmp_path}", image_size=8, channels=1, batch_size=2, with_labels=True)
