"""Caption sources: captioned digits, the StackGAN release layout and CUB on TFDS mock data."""

import os

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans.data import caption_text, digit_captions
from keras_gans.data import captions as captions_lib


def _stroke(points):
    image = np.zeros((8, 8))
    for row, col in points:
        image[row, col] = 16
    return image


def test_digit_attributes_measure_ink_and_slant():
    upright = _stroke([(r, 3) for r in range(8)])
    leaning_right = _stroke([(r, 7 - r) for r in range(8)])  # top right, bottom left
    leaning_left = _stroke([(r, r) for r in range(8)])
    ink, slant = digit_captions.digit_attributes(np.stack([upright, leaning_right, leaning_left]))
    np.testing.assert_allclose(ink, [128, 128, 128])
    # Shear mu11 / mu02: 0 upright, -1 for x = 7 - y, +1 for x = y.
    np.testing.assert_allclose(slant, [0.0, -1.0, 1.0], atol=1e-9)


def test_captions_name_the_label_and_attributes_within_its_class():
    assert digit_captions.digit_caption(7, 1, -1) == "a thick seven leaning right"
    assert digit_captions.digit_caption(1, -1, 1) == "a thin one leaning left"
    assert digit_captions.digit_caption(0) == "a zero"
    # Three sevens with rising ink and the same slant: thin, middling, thick.
    images = np.stack([_stroke([(r, 3) for r in range(n)]) for n in (2, 5, 8)])
    described = digit_captions.describe_digits(images, [7, 7, 7], captions_per_image=1)
    assert described[:, 0].tolist() == ["a thin seven", "a seven", "a thick seven"]


def test_load_digit_captions():
    images, captions, labels = digit_captions.load_digit_captions(
        image_size=16, captions_per_image=2
    )
    # The train half of the digits only (896): the rest is held out for evaluation.
    assert images.shape == (2 * 896, 16, 16, 1) and captions.shape == labels.shape == (2 * 896,)
    assert images.min() >= -1 and images.max() <= 1
    for caption, label in zip(captions[:200], labels[:200]):
        assert digit_captions.DIGIT_WORDS[label] in caption.split()
    full, partial = captions[0::2], captions[1::2]
    assert all(len(p.split()) <= len(f.split()) for f, p in zip(full, partial))
    assert len(set(captions)) > 50  # attributes carry more than the ten classes


def test_make_caption_dataset_digits():
    dataset, info = captions_lib.make_caption_dataset(
        "digits", image_size=16, channels=1, batch_size=8
    )
    batch = next(iter(dataset))
    assert batch["images"].shape == (8, 16, 16, 1) and batch["captions"].dtype == tf.string
    assert info.num_examples == 2 * 896 and info.channels == 1
    assert {"a", "thick", "thin", "seven", "leaning", "left", "right"} <= set(info.vocabulary)
    assert len(info.preview_captions) == 10 and info.preview_captions[7] == "a seven"


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", r"at least one word; received '' at index 0"),
        (["a seven", "  "], r"at least one word; received '  ' at index 1"),
        (["!!!"], r"at least one word; received '!!!'"),
        ([3], r"captions must be strings; received int at index 0"),
        ([], r"non-empty list of strings"),
    ],
)
def test_check_captions_rejects_empty_captions(bad, message):
    with pytest.raises(ValueError, match=message):
        caption_text.check_captions(bad)


def _write_png(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tf.io.write_file(path, tf.io.encode_png(np.full((6, 6, 3), value, np.uint8)))


@pytest.fixture
def caption_folder(tmp_path):
    root = tmp_path / "birds"
    _write_png(str(root / "images/001.Albatross/a_1.png"), 0)
    _write_png(str(root / "images/002.Wren/w_1.png"), 255)
    _write_png(str(root / "images/002.Wren/no_text.png"), 128)
    os.makedirs(root / "text_c10/001.Albatross")
    os.makedirs(root / "text_c10/002.Wren")
    (root / "text_c10/001.Albatross/a_1.txt").write_text("a large white bird\n\nwith long wings\n")
    (root / "text_c10/002.Wren/w_1.txt").write_text("a small brown bird\n")
    return root


def test_caption_folder_in_release_layout(caption_folder):
    dataset, captions = captions_lib.load_caption_folder(
        str(caption_folder), image_size=4, channels=1
    )
    elements = list(dataset.as_numpy_iterator())
    assert [e["captions"].decode() for e in elements] == [
        "a large white bird",
        "with long wings",
        "a small brown bird",
    ]
    assert captions == ["a large white bird", "with long wings", "a small brown bird"]
    assert elements[0]["images"].shape == (4, 4, 1)
    np.testing.assert_allclose(elements[0]["images"], -1.0)
    np.testing.assert_allclose(elements[2]["images"], 1.0, atol=1e-3)  # grey conversion rounding
    dataset, info = captions_lib.make_caption_dataset(
        f"folder:{caption_folder}", image_size=4, channels=3, batch_size=2, shuffle=False
    )
    assert info.num_examples == 3 and "bird" in info.vocabulary
    assert next(iter(dataset))["images"].shape == (2, 4, 4, 3)


def test_caption_folder_errors(caption_folder, tmp_path):
    with pytest.raises(ValueError, match="holds images/ and text/ .* lacks text/"):
        os.makedirs(tmp_path / "only_images/images")
        captions_lib.load_caption_folder(str(tmp_path / "only_images"), 4, 1)
    (caption_folder / "text_c10/002.Wren/w_1.txt").write_text("\n  \n")
    with pytest.raises(ValueError, match="w_1.txt' holds no caption"):
        captions_lib.load_caption_folder(str(caption_folder), 4, 1)


def test_cub_from_tfds_mock_data():
    with tfds.testing.mock_data(num_examples=3):
        dataset, info = captions_lib.make_caption_dataset(
            "tfds:caltech_birds2011", image_size=8, channels=3, batch_size=2, shuffle=False
        )
        batch = next(iter(dataset))
    assert batch["images"].shape == (2, 8, 8, 3)
    assert (
        float(tf.reduce_min(batch["images"])) >= -1 and float(tf.reduce_max(batch["images"])) <= 1
    )
    for caption in batch["captions"].numpy():
        assert caption.decode().startswith("a ")
    assert info.num_examples == 3


def test_class_captions_and_bad_specs():
    assert captions_lib.class_caption("001.Black_footed_Albatross") == "a black footed albatross"
    with pytest.raises(ValueError, match="Caption data from TFDS is 'caltech_birds2011'"):
        captions_lib.make_caption_dataset("tfds:mnist", 8, 1, 2)
    with pytest.raises(ValueError, match="A caption dataset spec is 'digits'"):
        captions_lib.make_caption_dataset("faces", 8, 1, 2)
