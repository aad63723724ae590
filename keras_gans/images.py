"""Image grids and PNG files with numpy and TensorFlow ops; animated GIFs with Pillow.

Training's sample grids (`keras_gans.training.callbacks`) and the export layer's
(`keras_gans.export.make_grid`, `sample_grid`) are both made here. TensorFlow cannot encode GIFs;
Pillow (already required by scikit-image) is imported only when one is written.
"""

import io
import math
import os

import numpy as np
import tensorflow as tf

from keras_gans import run_files


def to_uint8(images):
    """Float images in [-1, 1] (clipped) or uint8 images to uint8 in [0, 255]."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"images must be float in [-1, 1] or uint8; received dtype {images.dtype}."
        )
    return np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def _check_count(name, value, high=None):
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < 1
        or (high and value > high)
    ):
        raise ValueError(f"{name} must be an integer in [1, {high or 'inf'}]; received {value!r}.")
    return value


def make_grid(images, rows=None, *, columns=None, padding=0, fill=0):
    """Tiles `[N, H, W, C]` images row by row into one uint8 image.

    Args:
        images: Float images in [-1, 1] or uint8 images; C is 1, 3 or 4.
        rows: Number of rows; default a near-square grid (`ceil(sqrt(N))` columns).
        columns: Images per row instead of `rows` (rows then follow from N).
        padding: Pixels between images and around the grid.
        fill: Value of the padding and of the slots after the last image (0 black, 255 white).

    Returns:
        The `[rows * (H + p) + p, columns * (W + p) + p, C]` uint8 grid.
    """
    images = to_uint8(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4) or images.shape[0] < 1:
        raise ValueError(
            f"images must have shape [N >= 1, H, W, C in (1, 3, 4)]; received {images.shape}."
        )
    count, height, width, channels = images.shape
    if columns is not None:
        if rows is not None:
            raise ValueError(
                f"Pass rows or columns, not both; received rows={rows}, columns={columns}."
            )
        rows = math.ceil(count / _check_count("columns", columns))
    else:
        if rows is None:
            rows = math.ceil(count / math.ceil(math.sqrt(count)))
        columns = math.ceil(count / _check_count("rows", rows, high=count))
    cells = np.full((rows * columns, height + padding, width + padding, channels), fill, np.uint8)
    cells[:count, :height, :width] = images
    grid = cells.reshape(rows, columns, height + padding, width + padding, channels).transpose(
        0, 2, 1, 3, 4
    )
    grid = grid.reshape(rows * (height + padding), columns * (width + padding), channels)
    # Each cell carries its padding below and right of it; the grid's top and left get theirs here.
    return np.pad(grid, ((padding, 0), (padding, 0), (0, 0)), constant_values=fill)


def upscale(grid, factor):
    """Nearest-neighbour enlargement so that 8-16 pixel samples are visible."""
    return np.repeat(np.repeat(grid, factor, axis=0), factor, axis=1)


def encode_png(image):
    """PNG bytes of one `[H, W, C]` uint8 image."""
    return tf.io.encode_png(np.asarray(image, np.uint8)).numpy()


def write_png(path, image):
    """Writes one `[H, W, C]` uint8 image as a PNG file, creating the folder; atomically."""
    _write_file(path, encode_png(image))


def encode_gif(frames, duration_ms=200):
    """Animated GIF bytes of `[T, H, W, C]` uint8 frames that loop forever.

    Greyscale frames keep their 256 levels exactly; colour frames are reduced to a 256-colour
    palette per frame (GIF's limit).
    """
    from PIL import Image  # here: only GIFs need an imaging library

    frames = np.asarray(frames)
    if frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] not in (1, 3, 4):
        raise ValueError(
            "frames must be uint8 [T, H, W, C in (1, 3, 4)]; received "
            f"{frames.dtype} {frames.shape}."
        )
    if frames.shape[-1] == 1:
        pictures = [Image.fromarray(f[..., 0]) for f in frames]
    else:
        pictures = [Image.fromarray(f[..., :3]).quantize(256) for f in frames]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=int(duration_ms),
        loop=0,
    )
    return buffer.getvalue()


def write_gif(path, frames, duration_ms=200):
    """Writes `[T, H, W, C]` uint8 frames as a looping animated GIF, creating the folder;
    atomically."""
    _write_file(path, encode_gif(frames, duration_ms))


def _write_file(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    run_files.write_bytes(path, data)
