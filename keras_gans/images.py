"""Image grids and PNG files, with TensorFlow ops only (no imaging library needed)."""

import os

import numpy as np
import tensorflow as tf


def to_uint8(images):
    """Maps float images in [-1, 1] to uint8 in [0, 255]."""
    images = np.asarray(images, dtype=np.float32)
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype(np.uint8)


def make_grid(images, columns, padding=1):
    """Tiles `[N, H, W, C]` images in [-1, 1] into one `[rows*(H+p)+p, columns*(W+p)+p, C]` uint8 image.

    Args:
        images: Float images in [-1, 1]; N need not fill the last row.
        columns: Images per row.
        padding: Pixels of white between images.
    """
    images = to_uint8(images)
    if images.ndim != 4:
        raise ValueError(f"images must have shape [N, H, W, C]; received {images.shape}.")
    if int(columns) < 1:
        raise ValueError(f"columns must be at least 1; received {columns}.")
    count, height, width, channels = images.shape
    rows = -(-count // columns)
    grid = np.full(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        255,
        dtype=np.uint8,
    )
    for index, image in enumerate(images):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def upscale(grid, factor):
    """Nearest-neighbour enlargement so that 8-16 pixel samples are visible."""
    return np.repeat(np.repeat(grid, factor, axis=0), factor, axis=1)


def write_png(path, image):
    """Writes a uint8 `[H, W, C]` image, creating the folder; written whole, then renamed."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temporary = f"{path}.tmp"
    tf.io.write_file(temporary, tf.io.encode_png(np.asarray(image, dtype=np.uint8)))
    os.replace(temporary, path)
