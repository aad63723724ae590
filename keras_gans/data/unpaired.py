"""Unpaired two-domain data for image-to-image translation (CycleGAN).

Every element is `{"image_a": [H, W, C], "image_b": [H, W, C]}`, float32 in [-1, 1]; the two
domains are shuffled and cropped independently, so an element's two images are unrelated.

Sources (the `spec` of `make_unpaired_dataset`):
- `textures` (the default, bundled): scikit-image's greyscale photos `grass()` as domain A and
  `gravel()` as domain B, downscaled 2x; random crops of the top three quarters train, the bottom
  quarter is held out (`load_unpaired_examples`).
- `tfds:NAME`, e.g. `tfds:cycle_gan/horse2zebra`: a TFDS dataset with `trainA` / `trainB` splits
  (and `testA` / `testB` for held-out examples).
- `folders:PATH_A,PATH_B`: two folders of image files, one per domain; a seeded tenth of each
  (at least 4 files) is held out for evaluation and never trained on
  (`keras_gans.data.folder.heldout_split`).

Training images are augmented as in the reference code: TFDS and folder images are resized to
`load_size` (default 286/256 of `image_size`), then every source is randomly cropped to
`image_size` and randomly flipped left-right. The crops and flips are stateless draws keyed by a
seeded `tf.data.Dataset.random`, so a seed gives the same stream and every epoch draws anew.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow as tf

from keras_gans.data import batching
from keras_gans.data.folder import load_folder
from keras_gans.data.images import check_channels, check_positive_int
from keras_gans.data.info import DatasetInfo
from keras_gans.data.tfds_source import load_tfds

UNPAIRED_SPEC_FORMS = (
    "'textures', 'tfds:NAME' (with trainA/trainB splits) or 'folders:PATH_A,PATH_B'"
)
DOMAINS = ("image_a", "image_b")

#: The bundled photos are 512x512; halving them puts a few pebbles or blades in a 32x32 crop.
TEXTURE_SCALE = 2
#: Rows of the (full-size) photos used for training; the rest are held out.
TEXTURE_TRAIN_ROWS = 384
#: Splits of `texture_photos`.
TEXTURE_SPLITS = ("train", "test", "test_a", "test_b")
#: Random crops per domain that make one epoch of the textures source.
TEXTURE_CROPS_PER_EPOCH = 512
# The reference code resizes 256x256 training images to 286x286 before cropping.
LOAD_SIZE_RATIO = 286 / 256


def default_load_size(image_size: int) -> int:
    """The resize before the random crop: 286 for 256, as in the reference code."""
    return int(round(image_size * LOAD_SIZE_RATIO))


# -- The bundled texture photos --------------------------------------------------------------------
def texture_photos(split: str = "train", channels: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """scikit-image's `grass()` (domain A) and `gravel()` (domain B) as `[1, H, W, C]` arrays.

    Args:
        split: "train" (the top 384 of 512 rows) or "test" (the bottom 128 rows), before the
            2x downscale: 192x256 and 64x256 pixels; or "test_a" / "test_b", the left and right
            halves of "test" (64x128 pixels each, no pixel shared): the evaluation's reference
            and its real baseline's second set.
        channels: 1 (the photos are greyscale) or 3 (the grey copied into RGB).

    Returns:
        `(grass, gravel)`, float32 in [-1, 1].
    """
    if split not in TEXTURE_SPLITS:
        raise ValueError(
            f"split must be one of {', '.join(map(repr, TEXTURE_SPLITS))}; received {split!r}."
        )
    channels = check_channels(channels)
    # Imported here so that importing keras_gans.data does not pay for scikit-image.
    from skimage import data as skimage_data

    photos = []
    for load in (skimage_data.grass, skimage_data.gravel):
        photo = load()
        train = split == "train"
        rows = slice(0, TEXTURE_TRAIN_ROWS) if train else slice(TEXTURE_TRAIN_ROWS, None)
        photo = photo[rows, :, np.newaxis].astype(np.float32) / 255.0
        height, width = photo.shape[0] // TEXTURE_SCALE, photo.shape[1] // TEXTURE_SCALE
        photo = tf.image.resize(photo, [height, width], method="area").numpy()
        photo = np.clip(photo, 0.0, 1.0) * 2.0 - 1.0
        # Halved after the downscale, whose 2x2 blocks never straddle the middle column.
        if split == "test_a":
            photo = photo[:, : width // 2]
        elif split == "test_b":
            photo = photo[:, width // 2 :]
        if channels == 3:
            photo = np.repeat(photo, 3, axis=-1)
        photos.append(photo[np.newaxis])
    return photos[0], photos[1]


# -- Augmentation ---------------------------------------------------------------------------------
def _with_seeds(dataset: tf.data.Dataset, seed: int) -> tf.data.Dataset:
    """Pairs each element with a stateless seed `[2]`, drawn anew on every iteration."""
    with batching.seed_alone():
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
    return tf.data.Dataset.zip(dataset, seeds)


def _crop_and_flip(image, seed, image_size, channels, flip):
    image = tf.image.stateless_random_crop(image, [image_size, image_size, channels], seed=seed)
    if flip:
        image = tf.image.stateless_random_flip_left_right(image, seed=seed[::-1])
    return image


def _domain_stream(images: tf.data.Dataset, image_size, channels, flip, shuffle_buffer, seed):
    """One domain, shuffled on its own, repeated forever, randomly cropped and flipped."""
    if shuffle_buffer:
        with batching.seed_alone():
            images = images.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    images = _with_seeds(images.repeat(), seed + 1)
    return images.map(
        lambda image, s: _crop_and_flip(image, s, image_size, channels, flip),
        num_parallel_calls=tf.data.AUTOTUNE,
    )


def _finish(domain_a, domain_b, num_examples, batch_size, repeat):
    dataset = tf.data.Dataset.zip({"image_a": domain_a, "image_b": domain_b}).take(num_examples)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    if repeat:
        dataset = dataset.repeat()
    return dataset.prefetch(tf.data.AUTOTUNE)


def _check_photos(name, images, image_size):
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[0] < 1:
        raise ValueError(
            f"{name} must have shape [N >= 1, H, W, C]; received shape {images.shape}."
        )
    height, width = images.shape[1:3]
    if height < image_size or width < image_size:
        raise ValueError(
            f"{name} images are {height}x{width}, smaller than the {image_size}x{image_size} crop; "
            f"expected images of at least {image_size}x{image_size}."
        )
    return images


def unpaired_from_arrays(
    images_a,
    images_b,
    *,
    image_size: int,
    batch_size: int,
    num_examples: int = TEXTURE_CROPS_PER_EPOCH,
    num_replicas: int = 1,
    flip: bool = True,
    seed: int = 0,
    repeat: bool = False,
) -> tf.data.Dataset:
    """Random crops of in-memory photos of two domains.

    Each example picks a photo of its domain at random (independently of the other domain), crops
    `image_size` pixels at a random place and flips it left-right with probability 1/2.

    Args:
        images_a: `[N_a, H, W, C]` photos of domain A in [-1, 1]; H and W at least `image_size`.
        images_b: `[N_b, H', W', C]` photos of domain B, the same C.
        image_size: Side of the square crops.
        batch_size: Global batch size (split evenly over `num_replicas`).
        num_examples: Crops per domain in one epoch (one pass over the dataset).
        num_replicas: Replicas the global batch is split over.
        flip: Random left-right flips.
        seed: Seed of the crops and flips; the domains get different streams.
        repeat: Repeat forever.
        resize: How folder images become square before the resize to `load_size`
            (`load_folder`): `crop` (centred square) or `stretch`.

    Returns:
        Batched `{"image_a", "image_b"}` float32 `[B, image_size, image_size, C]`.

    Raises:
        ValueError: On malformed arrays, different channel counts, photos smaller than the
            crop, or invalid batching.
    """
    image_size = check_positive_int("image_size", image_size)
    num_examples = check_positive_int("num_examples", num_examples)
    batch_size, num_replicas = batching.check_batching(batch_size, num_replicas, True)
    batching.check_batch_fits(batch_size, num_examples, "one epoch of crops")
    images_a = _check_photos("image_a", images_a, image_size)
    images_b = _check_photos("image_b", images_b, image_size)
    if images_a.shape[-1] != images_b.shape[-1]:
        raise ValueError(
            "Both domains must have the same channel count; received "
            f"{images_a.shape[-1]} (image_a) and {images_b.shape[-1]} (image_b)."
        )
    channels = images_a.shape[-1]
    streams = []
    for index, photos in enumerate((images_a, images_b)):
        photos = tf.constant(photos)
        count = photos.shape[0]
        domain_seed = seed * 4 + 2 * index

        def pick(position, photos=photos, count=count):
            return photos[tf.math.floormod(position, count)]

        with batching.seed_alone():
            picks = tf.data.Dataset.random(seed=domain_seed, rerandomize_each_iteration=True).map(
                pick
            )
        streams.append(_domain_stream(picks, image_size, channels, flip, 0, domain_seed + 1))
    return _finish(streams[0], streams[1], num_examples, batch_size, repeat)


# -- Specs ----------------------------------------------------------------------------------------
def parse_unpaired_spec(spec) -> tuple[str, tuple[str, ...]]:
    """Splits an unpaired spec into `(kind, arguments)`; a ValueError names the valid forms."""
    refusal = "An unpaired dataset must be"
    kind, argument, split = batching.parse_spec(
        spec, ("textures", "tfds", "folders"), UNPAIRED_SPEC_FORMS, refusal, default_split=None
    )
    if split is not None:  # the domains are the dataset's own trainA / trainB splits
        raise ValueError(f"{refusal} {UNPAIRED_SPEC_FORMS}; received {spec!r}.")
    return kind, tuple(argument.split(",")) if argument else ()


def _domain_images(
    kind, arguments, split_suffix, image_size, channels, resize="crop", part="train"
):
    """`[(unbatched image dataset, count), ...]` for domains A and B, resized to `image_size`;
    `part` picks a folder's files (`load_folder`)."""
    domains = []
    for letter, argument in zip("AB", arguments if kind == "folders" else arguments * 2):
        if kind == "tfds":
            dataset, info = load_tfds(
                argument, image_size, channels, split=f"{split_suffix}{letter}"
            )
        else:
            try:
                dataset, info = load_folder(argument, image_size, channels, resize, part)
            except ValueError as error:
                raise ValueError(f"Domain {letter} folder {argument!r}: {error}") from None
        if info.num_examples == 0:
            raise ValueError(f"Domain {letter} of {kind}:{','.join(arguments)} holds no images.")
        domains.append((dataset.map(lambda element: element["images"]), info.num_examples))
    return domains


def make_unpaired_dataset(
    spec: str,
    image_size: int,
    channels: int,
    batch_size: int,
    num_replicas: int = 1,
    seed: int = 0,
    load_size: Optional[int] = None,
    flip: bool = True,
    num_examples: Optional[int] = None,
    repeat: bool = False,
    resize: str = "crop",
) -> tuple[tf.data.Dataset, DatasetInfo]:
    """The batched, augmented, independently shuffled two-domain training pipeline.

    Args:
        spec: `textures`, `tfds:NAME` (splits `trainA` / `trainB`) or `folders:PATH_A,PATH_B`.
        image_size: Side of the square training crops.
        channels: 1 or 3; every source is converted.
        batch_size: Global batch size; divisible by `num_replicas`.
        num_replicas: Replicas the global batch is split over.
        seed: Seed of shuffling, crops and flips.
        load_size: TFDS and folder images are resized to this before the crop; default
            `image_size * 286 / 256`. Must be at least `image_size`.
        flip: Random left-right flips.
        num_examples: Examples per epoch; default the larger domain (textures: 512 crops).
        repeat: Repeat forever.

    Returns:
        `(dataset, info)`: batches `{"image_a", "image_b"}` float32 `[B, image_size, image_size,
        channels]` in [-1, 1], and a `DatasetInfo` whose `num_examples` is one epoch's examples.

    Raises:
        ValueError: On an unknown spec, an empty or missing domain folder, a crop larger than the
            images (`load_size` below `image_size`, textures at too high a resolution), or
            invalid batching.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    batch_size, num_replicas = batching.check_batching(batch_size, num_replicas, True)
    kind, arguments = parse_unpaired_spec(spec)
    if num_examples is not None:
        num_examples = check_positive_int("num_examples", num_examples)

    if kind == "textures":
        grass, gravel = texture_photos("train", channels)
        num_examples = num_examples or TEXTURE_CROPS_PER_EPOCH
        dataset = unpaired_from_arrays(
            grass,
            gravel,
            image_size=image_size,
            batch_size=batch_size,
            num_examples=num_examples,
            num_replicas=num_replicas,
            flip=flip,
            seed=seed,
            repeat=repeat,
        )
        return dataset, DatasetInfo(num_examples, None, image_size, channels)

    if load_size is None:
        load_size = default_load_size(image_size)
    load_size = check_positive_int("load_size", load_size)
    if load_size < image_size:
        raise ValueError(
            f"load_size {load_size} is smaller than the {image_size}x{image_size} crop; expected "
            f"load_size >= image_size."
        )
    domains = _domain_images(kind, arguments, "train", load_size, channels, resize)
    num_examples = num_examples or max(count or 0 for _, count in domains) or None
    if num_examples is None:
        raise ValueError(f"The number of examples of {spec!r} is unknown; pass num_examples.")
    batching.check_batch_fits(batch_size, num_examples, repr(spec))
    streams = [
        _domain_stream(
            images,
            image_size,
            channels,
            flip,
            batching.shuffle_buffer(count),
            seed * 4 + 2 * index,
        )
        for index, (images, count) in enumerate(domains)
    ]
    dataset = _finish(streams[0], streams[1], num_examples, batch_size, repeat)
    return dataset, DatasetInfo(num_examples, None, image_size, channels)


def load_unpaired_examples(
    spec: str, image_size: int, channels: int, count: int = 4, seed: int = 0, resize="crop"
):
    """Fixed held-out examples of both domains, for sample grids and evaluation.

    `textures`: `count` seeded random crops of the held-out bottom quarter of each photo (no flips).
    `tfds:NAME`: the first `count` images of `testA` / `testB`, resized to `image_size`.
    `folders:A,B`: the first `count` files of each folder's held-out share (sorted), resized.

    Returns:
        `{"image_a": [count, H, W, C], "image_b": [count, H, W, C]}` float32 numpy in [-1, 1].
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    count = check_positive_int("count", count)
    kind, arguments = parse_unpaired_spec(spec)
    if kind == "textures":
        examples = {}
        for index, (key, photo) in enumerate(zip(DOMAINS, texture_photos("test", channels))):
            photo = tf.constant(_check_photos(key, photo, image_size)[0])
            crop = [image_size, image_size, channels]
            examples[key] = np.stack(
                [
                    tf.image.stateless_random_crop(photo, crop, seed=[seed, 2 * i + index]).numpy()
                    for i in range(count)
                ]
            )
        return examples
    domains = _domain_images(
        kind, arguments, "test" if kind == "tfds" else "", image_size, channels, resize, "heldout"
    )
    examples = {}
    for key, (images, available) in zip(DOMAINS, domains):
        batch = np.stack(list(images.take(count).as_numpy_iterator()))
        if len(batch) < count:
            raise ValueError(
                f"{key}: asked for {count} held-out examples; {spec!r} has {len(batch)}."
            )
        examples[key] = batch.astype(np.float32)
    return examples


__all__ = [
    "DOMAINS",
    "TEXTURE_CROPS_PER_EPOCH",
    "UNPAIRED_SPEC_FORMS",
    "default_load_size",
    "load_unpaired_examples",
    "make_unpaired_dataset",
    "parse_unpaired_spec",
    "texture_photos",
    "unpaired_from_arrays",
]
