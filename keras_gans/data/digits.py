"""scikit-learn's bundled 8x8 digits: a tiny labelled image set that needs no download."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_gans.data.images import check_positive_int

#: Number of label classes in the digits set (the digits 0..9).
DIGITS_NUM_CLASSES = 10

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
