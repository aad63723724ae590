"""Folders of mixed aspect ratios: centre-cropped to a square by default, or stretched."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import load_folder, load_unpaired_examples
from keras_gans.training import TrainConfig

# 20 rows x 40 columns: left quarter 0, middle half 100, right quarter 250 (grey).
LEFT, MIDDLE, RIGHT = 0, 100, 250


def write_wide(path, copies=1):
    """The wide image at `path`; `copies` > 1 adds numbered copies beside it (a folder that
    trains needs 8 files: 4 are held out for evaluation)."""
    pixels = np.full((20, 40, 1), MIDDLE, np.uint8)
    pixels[:, :10], pixels[:, 30:] = LEFT, RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        name = path if copy == 0 else path.with_name(f"{path.stem}{copy}{path.suffix}")
        name.write_bytes(tf.io.encode_png(pixels).numpy())


def to_pixels(images):
    return np.round((np.asarray(images) + 1.0) * 127.5)


def only_image(path, **kwargs):
    dataset, _ = load_folder(str(path), 10, 1, **kwargs)
    (element,) = list(dataset.as_numpy_iterator())
    return to_pixels(element["images"])[..., 0]


def test_a_wide_image_is_cropped_to_its_middle_square(tmp_path):
    write_wide(tmp_path / "wide.png")
    # The 20x20 centre (columns 10 to 29) is all middle: halved to 10x10, every pixel is 100.
    np.testing.assert_array_equal(only_image(tmp_path), np.full((10, 10), MIDDLE))
    np.testing.assert_array_equal(only_image(tmp_path, resize="crop"), only_image(tmp_path))


def test_stretch_keeps_the_whole_image(tmp_path):
    write_wide(tmp_path / "wide.png")
    image = only_image(tmp_path, resize="stretch")
    # Squeezed to 10 columns: the outer quarters become the outer 2.5 columns of each side.
    np.testing.assert_array_equal(image[:, :2], np.full((10, 2), LEFT))
    np.testing.assert_array_equal(image[:, 3:7], np.full((10, 4), MIDDLE))
    np.testing.assert_array_equal(image[:, 8:], np.full((10, 2), RIGHT))
    expected = tf.image.resize(
        tf.io.decode_png((tmp_path / "wide.png").read_bytes())[tf.newaxis] / 255,
        [10, 10],
        antialias=True,
    )
    np.testing.assert_allclose(image, np.round(expected[0, ..., 0].numpy() * 255), atol=1)


def test_unpaired_folders_crop_too(tmp_path):
    for domain in ("a", "b"):
        write_wide(tmp_path / domain / "wide.png", copies=8)
    spec = f"folders:{tmp_path / 'a'},{tmp_path / 'b'}"
    cropped = load_unpaired_examples(spec, 10, 1, count=1)
    stretched = load_unpaired_examples(spec, 10, 1, count=1, resize="stretch")
    np.testing.assert_array_equal(to_pixels(cropped["image_a"]), np.full((1, 10, 10, 1), MIDDLE))
    assert to_pixels(stretched["image_b"])[0, 0, 0, 0] == LEFT


def test_a_bad_resize_is_refused(tmp_path):
    write_wide(tmp_path / "wide.png")
    message = "resize must be one of crop, stretch; received 'pad'."
    with pytest.raises(ValueError) as error:
        load_folder(str(tmp_path), 10, 1, resize="pad")
    assert str(error.value) == message
    with pytest.raises(ValueError) as error:
        TrainConfig(model="gan", resize="pad")
    assert str(error.value) == message
    assert TrainConfig(model="gan").resize == "crop"


@pytest.mark.parametrize("model", ["gan", "cyclegan"])
def test_the_training_config_chooses(tmp_path, model):
    from keras_gans.registry import get_spec

    for domain in ("a", "b"):
        write_wide(tmp_path / domain / "wide.png", copies=8)
    data = f"folder:{tmp_path / 'a'}"
    if model == "cyclegan":
        data = f"folders:{tmp_path / 'a'},{tmp_path / 'b'}"
    for resize in ("crop", "stretch"):
        config = TrainConfig(
            model=model, dataset=data, image_size=10, channels=1, batch_size=1, resize=resize
        ).resolved()
        batch = next(iter(get_spec(model).make_dataset(config, 1)[0]))
        images = batch["image_a"] if model == "cyclegan" else batch["images"]
        # CycleGAN flips at random: either corner of the first row is an outer column.
        row = to_pixels(images)[0, 0, :, 0]
        assert {row[0], row[-1]} == ({MIDDLE} if resize == "crop" else {LEFT, RIGHT}), row
