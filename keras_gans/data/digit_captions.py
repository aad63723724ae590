"""Captions of the bundled digits, made from each image's label and two measured attributes.

Stroke thickness (ink mass) and slant (second moments), relative to the digit's class, e.g.
"a thick seven leaning right". Bundled: no download.
"""

import numpy as np

from keras_gans.data.digits import digits_part_indices, load_digits
from keras_gans.data.images import check_positive_int

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def digit_attributes(raw_images):
    """Ink mass and slant of raw `[N, 8, 8]` digit images (intensities 0..16).

    Slant is the shear mu11 / mu02 of the intensity's second moments with rows pointing down:
    positive when the bottom of the digit lies to the right of its top (leaning left).

    Returns:
        `(ink [N], slant [N])` float arrays.
    """
    images = np.asarray(raw_images, dtype=np.float64)
    rows, cols = np.mgrid[0 : images.shape[1], 0 : images.shape[2]]
    ink = images.sum(axis=(1, 2))
    mass = np.maximum(ink, 1e-9)
    x_mean = (images * cols).sum(axis=(1, 2)) / mass
    y_mean = (images * rows).sum(axis=(1, 2)) / mass
    dx = cols[None] - x_mean[:, None, None]
    dy = rows[None] - y_mean[:, None, None]
    mu11 = (images * dx * dy).sum(axis=(1, 2))
    mu02 = np.maximum((images * dy * dy).sum(axis=(1, 2)), 1e-9)
    return ink, mu11 / mu02


def _terciles(values, labels):
    """-1 / 0 / +1 for the lower, middle and upper third of `values` within each label."""
    levels = np.zeros(len(values), dtype=np.int32)
    for label in np.unique(labels):
        mask = labels == label
        low, high = np.percentile(values[mask], [100 / 3, 200 / 3])
        levels[mask & (values < low)] = -1
        levels[mask & (values > high)] = 1
    return levels


def digit_caption(label, thickness=0, slant=0):
    """E.g. `digit_caption(7, 1, -1)` is "a thick seven leaning right"; 0 leaves a word out."""
    words = ["a"]
    if thickness:
        words.append("thick" if thickness > 0 else "thin")
    words.append(DIGIT_WORDS[label])
    if slant:
        words.append("leaning left" if slant > 0 else "leaning right")
    return " ".join(words)


def describe_digits(raw_images, labels, captions_per_image=2, seed=0):
    """Captions of raw digit images: `[N, captions_per_image]` strings.

    The first caption names every attribute that is not middling for the digit's class; each
    further caption drops each attribute with probability 1/2 (seeded), so partial captions such
    as "a thick seven" are seen in training too.
    """
    labels = np.asarray(labels)
    ink, slant = digit_attributes(raw_images)
    thickness, lean = _terciles(ink, labels), _terciles(slant, labels)
    rng = np.random.default_rng(seed)
    captions = np.empty((len(labels), captions_per_image), dtype=object)
    for index, label in enumerate(labels):
        captions[index, 0] = digit_caption(int(label), thickness[index], lean[index])
        for column in range(1, captions_per_image):
            keep_t, keep_s = rng.random(2) < 0.5
            captions[index, column] = digit_caption(
                int(label), thickness[index] * keep_t, lean[index] * keep_s
            )
    return captions


#: Sample-grid captions of the digits preset: every digit, with attributes varied.
DIGIT_PREVIEW_CAPTIONS = tuple(
    digit_caption(d, thickness, slant)
    for d, (thickness, slant) in enumerate([(1, 0), (-1, 0), (0, 0), (1, -1), (-1, 1)] * 2)
)


def load_digit_captions(image_size=16, captions_per_image=2, seed=0, part="train"):
    """The digits of one part of `digits_parts` with captions, one element per (image, caption)
    pair.

    Captions are made over all the digits (the attribute terciles are per class over the 1,797)
    and then restricted to `part`, so a digit has the same captions whichever part asks.

    Args:
        image_size: Height and width of the images.
        captions_per_image: Captions per digit (see `describe_digits`).
        seed: Seed of the partial captions.
        part: `train` (StackGAN's training data: 896 digits), `heldout_a` or `heldout_b`.

    Returns:
        `(images [N*k, S, S, 1] float32 in [-1, 1], captions [N*k] str, labels [N*k] int32)`.
    """
    captions_per_image = check_positive_int("captions_per_image", captions_per_image)
    from sklearn.datasets import load_digits as _sk_load_digits

    images, labels = load_digits(image_size)
    raw = _sk_load_digits().images
    captions = describe_digits(raw, labels, captions_per_image, seed)
    parts = digits_part_indices(labels)
    if part not in parts:
        raise ValueError(f"part must be one of {', '.join(map(repr, parts))}; received {part!r}.")
    index = parts[part]
    repeat = lambda array: np.repeat(array[index], captions_per_image, axis=0)  # noqa: E731
    return repeat(images), captions[index].reshape(-1).astype(str), repeat(labels)
