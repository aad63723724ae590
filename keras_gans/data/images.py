"""Image helpers shared by the TFDS and folder sources: argument checks and TF-op conversion."""

from __future__ import annotations

import numbers

import tensorflow as tf

#: How a folder's images become squares: `crop` takes the centred square of side min(H, W)
#: before resizing (the aspect ratio kept); `stretch` resizes the whole image (distorting it).
RESIZE_MODES = ("crop", "stretch")


def check_resize(resize) -> str:
    """Returns `resize`, or raises a ValueError unless it is one of `RESIZE_MODES`."""
    if resize not in RESIZE_MODES:
        raise ValueError(f"resize must be one of {', '.join(RESIZE_MODES)}; received {resize!r}.")
    return resize


def centre_square(image: tf.Tensor) -> tf.Tensor:
    """The centred `[S, S, C]` square of an `[H, W, C]` image, S = min(H, W)."""
    shape = tf.shape(image)
    side = tf.minimum(shape[0], shape[1])
    top, left = (shape[0] - side) // 2, (shape[1] - side) // 2
    return image[top : top + side, left : left + side]


def check_positive_int(name: str, value, minimum: int = 1) -> int:
    """Returns `value` as an int, or raises a ValueError naming expected and received values."""
    # bool is an int subclass; `image_size=True` is always a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; received {value!r}.")
    return int(value)


def check_channels(channels) -> int:
    """Returns `channels` as an int, or raises a ValueError unless it is 1 or 3."""
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; received {channels!r}.")
    return int(channels)


def to_channels(image: tf.Tensor, channels: int) -> tf.Tensor:
    """Converts an `[H, W, C]` image with C in {1, 2, 3, 4} to `channels` (1 or 3).

    An alpha channel (C = 2 or 4) is dropped. The input channel count may be unknown
    until run time (tf.io.decode_image), so the choice is made with `tf.cond`.
    """
    static = image.shape[-1]
    if static is not None:
        # Known channel count (TFDS features): pick the branch in Python, since the
        # untaken tf.cond branch would still be traced with mismatched shapes.
        if static < 3:
            grey = image[..., :1]
            return tf.image.grayscale_to_rgb(grey) if channels == 3 else grey
        rgb = image[..., :3]
        return rgb if channels == 3 else tf.image.rgb_to_grayscale(rgb)
    is_grey = tf.shape(image)[-1] < 3
    if channels == 3:
        return tf.cond(
            is_grey,
            lambda: tf.image.grayscale_to_rgb(image[..., :1]),
            lambda: image[..., :3],
        )
    return tf.cond(
        is_grey,
        lambda: image[..., :1],
        lambda: tf.image.rgb_to_grayscale(image[..., :3]),
    )


def prepare_image(
    image: tf.Tensor, image_size: int, channels: int, resize: str = "stretch"
) -> tf.Tensor:
    """Converts a decoded `[H, W, C]` image to float32 `[size, size, channels]` in [-1, 1].

    Integer images are scaled by their dtype's maximum (255 for uint8); float images are
    assumed to lie in [0, 1] already. `resize` is one of `RESIZE_MODES`: `crop` resizes the
    centred square, `stretch` the whole image.
    """
    image = tf.image.convert_image_dtype(image, tf.float32)
    image = to_channels(image, channels)
    if check_resize(resize) == "crop":
        image = centre_square(image)
    image = tf.image.resize(image, [image_size, image_size], method="bilinear", antialias=True)
    # Resampling can overshoot [0, 1] slightly; clip so the [-1, 1] contract holds exactly.
    image = tf.clip_by_value(image, 0.0, 1.0) * 2.0 - 1.0
    image.set_shape([image_size, image_size, channels])
    return image
