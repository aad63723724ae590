"""Unpaired two-domain data: the bundled textures, two folders, TFDS cycle_gan; clear errors."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans.data.unpaired import (
    load_unpaired_examples,
    make_unpaired_dataset,
    parse_unpaired_spec,
    texture_photos,
    unpaired_from_arrays,
)


def _first_batch(dataset):
    return next(dataset.as_numpy_iterator())


def test_textures_are_grass_and_gravel_crops():
    dataset, info = make_unpaired_dataset(
        "textures", image_size=32, channels=1, batch_size=8, seed=3
    )
    assert info.num_examples == 512 and info.channels == 1 and not info.has_labels
    assert dataset.element_spec == {
        "image_a": tf.TensorSpec((8, 32, 32, 1), tf.float32),
        "image_b": tf.TensorSpec((8, 32, 32, 1), tf.float32),
    }
    first = _first_batch(dataset)
    for images in first.values():
        assert images.min() >= -1.0 and images.max() <= 1.0
    assert not np.allclose(first["image_a"], first["image_b"])
    # The same seed gives the same stream; each pass over the dataset draws new crops.
    again, _ = make_unpaired_dataset("textures", image_size=32, channels=1, batch_size=8, seed=3)
    np.testing.assert_array_equal(_first_batch(again)["image_a"], first["image_a"])
    assert not np.allclose(_first_batch(dataset)["image_a"], first["image_a"])
    assert sum(1 for _ in dataset) == 512 // 8
    rgb = _first_batch(make_unpaired_dataset("textures", 16, channels=3, batch_size=2)[0])[
        "image_b"
    ]
    assert rgb.shape == (2, 16, 16, 3) and np.array_equal(rgb[..., 0], rgb[..., 2])


def test_held_out_texture_crops_come_from_the_unseen_rows():
    train_grass, _ = texture_photos("train")
    test_grass, test_gravel = texture_photos("test")
    assert train_grass.shape == (1, 192, 256, 1) and test_grass.shape == test_gravel.shape == (
        1,
        64,
        256,
        1,
    )
    examples = load_unpaired_examples("textures", 32, 1, count=3, seed=5)
    assert examples["image_a"].shape == (3, 32, 32, 1)
    np.testing.assert_array_equal(
        load_unpaired_examples("textures", 32, 1, count=3, seed=5)["image_b"], examples["image_b"]
    )
    # Every held-out crop lies inside the held-out strip.
    strip = test_grass[0, :, :, 0]
    crop = examples["image_a"][0, :, :, 0]
    windows = np.lib.stride_tricks.sliding_window_view(strip, crop.shape)
    assert np.any(np.all(windows == crop, axis=(2, 3)))


def test_crops_flip_independently_per_domain():
    photo = np.linspace(-1, 1, 8 * 8, dtype=np.float32).reshape(1, 8, 8, 1)
    dataset = unpaired_from_arrays(
        photo, -photo, image_size=8, batch_size=64, num_examples=64, seed=0
    )
    batch = _first_batch(dataset)
    flipped_a = [np.array_equal(x, photo[0, :, ::-1]) for x in batch["image_a"]]
    assert all(f or np.array_equal(x, photo[0]) for f, x in zip(flipped_a, batch["image_a"]))
    assert 16 < sum(flipped_a) < 48  # about half
    flipped_b = [np.array_equal(x, -photo[0, :, ::-1]) for x in batch["image_b"]]
    assert flipped_a != flipped_b  # the domains draw their own flips
    unflipped = _first_batch(
        unpaired_from_arrays(photo, photo, image_size=8, batch_size=4, num_examples=4, flip=False)
    )
    np.testing.assert_array_equal(unflipped["image_a"], np.repeat(photo, 4, axis=0))


def _write_pngs(folder, count, size=(20, 24), channels=3):
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        pixels = tf.fill([size[0], size[1], channels], tf.constant(10 * index, tf.uint8))
        (folder / f"{index}.png").write_bytes(tf.io.encode_png(pixels).numpy())


def test_two_folders(tmp_path):
    from keras_gans.data.folder import heldout_split

    _write_pngs(tmp_path / "horses", 10)
    _write_pngs(tmp_path / "zebras", 12, channels=1)
    spec = f"folders:{tmp_path / 'horses'},{tmp_path / 'zebras'}"
    dataset, info = make_unpaired_dataset(
        spec, image_size=16, channels=3, batch_size=2, load_size=18
    )
    assert info.num_examples == 8  # an epoch covers the larger domain's 12 - 4 held out
    assert sum(1 for _ in dataset) == 4
    batch = _first_batch(dataset)
    assert batch["image_a"].shape == batch["image_b"].shape == (2, 16, 16, 3)
    # The examples are the held-out files, in sorted order.
    examples = load_unpaired_examples(spec, 16, 3, count=2)
    second = heldout_split(10)["heldout"][1]
    np.testing.assert_allclose(examples["image_a"][1], 10 * second / 255 * 2 - 1, atol=1e-5)


def test_tfds_cycle_gan_pair():
    with tfds.testing.mock_data(num_examples=4):
        dataset, info = make_unpaired_dataset("tfds:cycle_gan/horse2zebra", 16, 3, batch_size=2)
        batch = _first_batch(dataset)
        examples = load_unpaired_examples("tfds:cycle_gan/horse2zebra", 16, 3, count=2)
    assert info.num_examples == 4
    assert batch["image_a"].shape == (2, 16, 16, 3) and batch["image_a"].min() >= -1
    assert examples["image_b"].shape == (2, 16, 16, 3)


def test_bad_inputs(tmp_path):
    _write_pngs(tmp_path / "a", 8)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"Domain B folder '.*empty': No image files found under"):
        make_unpaired_dataset(f"folders:{tmp_path / 'a'},{tmp_path / 'empty'}", 16, 3, batch_size=2)
    with pytest.raises(
        ValueError, match="image_a images are 192x256, smaller than the 200x200 crop"
    ):
        make_unpaired_dataset("textures", 200, 1, batch_size=2)
    with pytest.raises(ValueError, match="load_size 16 is smaller than the 32x32 crop"):
        make_unpaired_dataset(
            f"folders:{tmp_path / 'a'},{tmp_path / 'a'}", 32, 3, batch_size=2, load_size=16
        )
    with pytest.raises(
        ValueError, match=r"same channel count; received 3 \(image_a\) and 1 \(image_b\)"
    ):
        unpaired_from_arrays(
            np.zeros((1, 8, 8, 3)), np.zeros((1, 8, 8, 1)), image_size=8, batch_size=1
        )
    with pytest.raises(
        ValueError, match="must be 'textures', 'tfds:NAME' .* received 'folders:only_one'"
    ):
        parse_unpaired_spec("folders:only_one")
    with pytest.raises(ValueError, match="global batch 3 cannot be split evenly over 2 replicas"):
        make_unpaired_dataset("textures", 16, 1, batch_size=3, num_replicas=2)
