"""scikit-learn's bundled 8x8 digits: a tiny labelled image set that needs no download.

The library's one split of them (`digits_parts`): half of each class trains the generators and the
reference classifier; the other half is held out, in two disjoint quarters `heldout_a` (the
evaluation's reference) and `heldout_b` (the real baseline's second set).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_gans.data.images import check_positive_int

#: Number of label classes in the digits set (the digits 0..9).
DIGITS_NUM_CLASSES = 10

#: Names of the parts of `digits_parts`, in order.
DIGITS_PARTS = ("train", "heldout_a", "heldout_b")

# The raw digits are 8x8 with integer intensities 0..16.
_RAW_SIZE = 8
_RAW_MAX = 16.0


def load_digits(image_size: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Loads scikit-learn's 1,797 handwritten digits as GAN-ready arrays.

    Args:
        image_size: Height and width of the returned images; an integer >= 8. Sizes
            above 8 are upsampled with antialiased bilinear resizing.

    Returns:
        A tuple `(images, labels)`: images float32 `[1797, image_size, image_size, 1]`
        in [-1, 1] (raw 0 maps to -1, raw 16 to 1), labels int32 `[1797]` in 0..9.

    Raises:
        ValueError: If `image_size` is not an integer >= 8.
    """
    image_size = check_positive_int("image_size", image_size, minimum=_RAW_SIZE)
    # Imported here so that importing keras_gans.data does not pay for scikit-learn.
    from sklearn.datasets import load_digits as _sk_load_digits

    bunch = _sk_load_digits()
    images = bunch.images.astype(np.float32)[..., np.newaxis] / _RAW_MAX * 2.0 - 1.0
    if image_size != _RAW_SIZE:
        images = tf.image.resize(
            images, [image_size, image_size], method="bilinear", antialias=True
        ).numpy()
    images = np.clip(images, -1.0, 1.0).astype(np.float32)
    labels = bunch.target.astype(np.int32)
    return images, labels


def digits_part_indices(labels, seed: int = 0) -> dict:
    """Indices of the `train`, `heldout_a` and `heldout_b` parts of the digits.

    Per class, a seeded permutation: its first half (rounded down) is `train`, the rest is split
    into `heldout_a` (its first half, rounded down) and `heldout_b`. The parts are disjoint, cover
    every index and keep each class's share.

    Args:
        labels: `[N]` class labels (those of `load_digits`).
        seed: Seed of the permutations; the same seed gives the same parts.

    Returns:
        `{"train": idx, "heldout_a": idx, "heldout_b": idx}`, sorted int64 arrays.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    parts = {name: [] for name in DIGITS_PARTS}
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        half = len(members) // 2
        quarter = half + (len(members) - half) // 2
        parts["train"].append(members[:half])
        parts["heldout_a"].append(members[half:quarter])
        parts["heldout_b"].append(members[quarter:])
    return {name: np.sort(np.concatenate(chunks)) for name, chunks in parts.items()}


def digits_parts(image_size: int = 16, seed: int = 0) -> dict:
    """The digits in the parts of `digits_part_indices`: 896 `train`, 447 `heldout_a` and 454
    `heldout_b` examples with seed 0.

    Returns:
        `{"train": (images, labels), "heldout_a": (...), "heldout_b": (...)}`, as `load_digits`.
    """
    images, labels = load_digits(image_size)
    return {
        name: (images[index], labels[index])
        for name, index in digits_part_indices(labels, seed).items()
    }


def digits_split_indices(labels, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`(train, heldout)` indices: `heldout` is `heldout_a` and `heldout_b` together, sorted."""
    parts = digits_part_indices(labels, seed)
    return parts["train"], np.sort(np.concatenate([parts["heldout_a"], parts["heldout_b"]]))


def digits_split(image_size: int = 16, seed: int = 0):
    """The digits as `((train_images, train_labels), (heldout_images, heldout_labels))`.

    The held-out half is both held-out quarters of `digits_parts`: 896 train and 901 held-out
    examples (each class halved, odd ones out held out).
    """
    images, labels = load_digits(image_size)
    train, heldout = digits_split_indices(labels, seed)
    return (images[train], labels[train]), (images[heldout], labels[heldout])
