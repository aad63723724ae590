"""Image grids as PNG, with numpy and `tf.io` only (training sample grids reuse these)."""

import math
import os

import numpy as np
import tensorflow as tf


def to_uint8(images):
    """Float images in [-1, 1] (clipped) or uint8 images to uint8 in [0, 255]."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(f"images must be float in [-1, 1] or uint8; received dtype {images.dtype}.")
    return np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def make_grid(images, rows=None):
    """Tiles `[N, H, W, C]` images row by row into one `[rows * H, cols * W, C]` uint8 image.

    Args:
        images: Float images in [-1, 1] or uint8 images; C is 1, 3 or 4.
        rows: Number of rows; default a near-square grid (`ceil(sqrt(N))` columns).

    Returns:
        The uint8 grid; slots after the last image stay black.
    """
    images = to_uint8(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4) or images.shape[0] < 1:
        raise ValueError(
            f"images must have shape [N >= 1, H, W, C in (1, 3, 4)]; received {images.shape}."
        )
    count, height, width, channels = images.shape
    if rows is None:
        rows = math.ceil(count / math.ceil(math.sqrt(count)))
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1 or rows > count:
        raise ValueError(f"rows must be an integer in [1, {count}]; received {rows!r}.")
    cols = math.ceil(count / rows)
    grid = np.zeros((rows * cols, height, width, channels), np.uint8)
    grid[:count] = images
    grid = grid.reshape(rows, cols, height, width, channels).transpose(0, 2, 1, 3, 4)
    return grid.reshape(rows * height, cols * width, channels)


def encode_png(image):
    """PNG bytes of one `[H, W, C]` uint8 image."""
    return tf.io.encode_png(np.asarray(image, np.uint8)).numpy()


def write_png(path, image):
    """Writes one `[H, W, C]` uint8 image as a PNG file, creating the folder."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "wb") as f:
        f.write(encode_png(image))
