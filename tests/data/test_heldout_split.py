"""The one held-out split: no held-out digit or texture pixel reaches any training data."""

import re

import numpy as np
import pytest
import skimage.data

from keras_gans.data import make_dataset
from keras_gans.data.captions import make_caption_dataset
from keras_gans.data.digit_captions import load_digit_captions
from keras_gans.data.digits import digits_part_indices, digits_parts, load_digits
from keras_gans.data.unpaired import make_unpaired_dataset, texture_photos
from keras_gans.metrics import classifiers


def _rows(images):
    return {row.tobytes() for row in np.asarray(images, np.float32).reshape(len(images), -1)}


def test_digit_parts_are_disjoint_stratified_and_cover_the_digits():
    _, labels = load_digits(8)
    parts = digits_part_indices(labels)
    assert {name: len(index) for name, index in parts.items()} == {
        "train": 896,
        "heldout_a": 447,
        "heldout_b": 454,
    }
    every = np.concatenate(list(parts.values()))
    assert len(every) == len(set(every.tolist())) == 1797  # disjoint and covering
    per_class = {name: np.bincount(labels[index], minlength=10) for name, index in parts.items()}
    np.testing.assert_array_equal(per_class["train"], np.bincount(labels) // 2)
    assert np.all(np.abs(per_class["heldout_a"] - per_class["heldout_b"]) <= 1)
    # Deterministic, and the two-way split (and its metrics re-export) is train vs both quarters.
    np.testing.assert_array_equal(digits_part_indices(labels)["heldout_b"], parts["heldout_b"])
    train, heldout = classifiers.digits_split_indices(labels)
    np.testing.assert_array_equal(train, parts["train"])
    np.testing.assert_array_equal(heldout, np.sort(np.r_[parts["heldout_a"], parts["heldout_b"]]))


def test_the_digits_pipeline_yields_exactly_the_train_part():
    dataset, info = make_dataset(
        "digits", image_size=16, channels=1, batch_size=64, shuffle=False, drop_remainder=False
    )
    yielded = np.concatenate([batch["images"] for batch in dataset.as_numpy_iterator()])
    parts = digits_parts(16)
    seen = _rows(yielded)
    leaked = sum(len(seen & _rows(parts[name][0])) for name in ("heldout_a", "heldout_b"))
    assert leaked == 0, f"{leaked} held-out digits reach the digits training pipeline"
    assert info.num_examples == len(yielded) == 896 and seen == _rows(parts["train"][0])


def test_stackgan_trains_on_captions_of_the_train_part_only():
    dataset, info = make_caption_dataset(
        "digits", image_size=16, channels=1, batch_size=64, shuffle=False
    )
    yielded = np.concatenate([batch["images"] for batch in dataset.as_numpy_iterator()])
    parts = digits_parts(16)
    seen = _rows(yielded)
    leaked = sum(len(seen & _rows(parts[name][0])) for name in ("heldout_a", "heldout_b"))
    assert leaked == 0, f"{leaked} held-out digits reach StackGAN's captioned training data"
    assert info.num_examples == len(yielded) == 2 * 896 and seen == _rows(parts["train"][0])
    # A digit has the same caption whichever part asks for it (the evaluator asks heldout_a's).
    _, held_captions, held_labels = load_digit_captions(16, captions_per_image=1, part="heldout_a")
    np.testing.assert_array_equal(held_labels, parts["heldout_a"][1])
    assert all(caption.startswith("a ") for caption in held_captions)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "part must be one of 'train', 'heldout_a', 'heldout_b'; received 'heldout'."
        ),
    ):
        load_digit_captions(16, part="heldout")


@pytest.fixture
def coded_photos(monkeypatch):
    """Both texture photos replaced by one whose every 2x2 block (one pixel after the 2x
    downscale) has its own grey level: a crop's values name the photo pixels it came from."""
    rows, cols = np.mgrid[0:512, 0:512]
    block = (rows // 2) * 256 + cols // 2
    photo = (block + 0.5) / 65536.0 * 255.0
    monkeypatch.setattr(skimage.data, "grass", lambda: photo)
    monkeypatch.setattr(skimage.data, "gravel", lambda: photo)


def _blocks(images):
    """The downscaled-photo pixels (block indices) that `images` in [-1, 1] were cut from."""
    return set(np.floor((np.asarray(images) + 1.0) / 2.0 * 65536.0).astype(np.int64).ravel())


@pytest.mark.parametrize("crop_size", [16, 64])
def test_texture_regions_share_no_pixel(coded_photos, crop_size):
    regions = {
        region: _blocks(classifiers.texture_crops(crop_size, 300, region, seed=1)[0])
        for region in ("train", "heldout_a", "heldout_b")
    }
    shared = {
        (a, b): len(regions[a] & regions[b])
        for a, b in (("train", "heldout_a"), ("train", "heldout_b"), ("heldout_a", "heldout_b"))
    }
    assert not any(shared.values()), f"pixels shared between regions: {shared}"
    # CycleGAN's training stream (random crops and flips of the training rows) too.
    dataset, _ = make_unpaired_dataset("textures", 32, 1, batch_size=8, num_examples=64)
    streamed = set()
    for batch in dataset.as_numpy_iterator():
        streamed |= _blocks(batch["image_a"]) | _blocks(batch["image_b"])
    assert not streamed & (regions["heldout_a"] | regions["heldout_b"])
    assert streamed <= _blocks(texture_photos("train")[0])


def test_texture_photo_split_error():
    message = "split must be one of 'train', 'test', 'test_a', 'test_b'; received 'heldout_a'."
    with pytest.raises(ValueError, match=re.escape(message)):
        texture_photos("heldout_a")
