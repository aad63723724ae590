"""Input checks shared by the models: clear `ValueError`s naming expected and received values."""

import numpy as np
import tensorflow as tf

from keras_gans.data.pipeline import validate_labels


def unpack_batch(data):
    """Accepts a dict `{"images", "labels"?}`, a tuple `(images, labels)` or a bare image tensor."""
    if isinstance(data, dict):
        if "images" not in data:
            raise ValueError(f"A batch dict needs an 'images' key; received keys {sorted(data)}.")
        return data["images"], data.get("labels")
    if isinstance(data, (tuple, list)):
        if not 1 <= len(data) <= 2:
            raise ValueError(
                f"A batch tuple must be (images,) or (images, labels); received {len(data)} items."
            )
        return data[0], (data[1] if len(data) == 2 else None)
    return data, None


def check_images(images, expected_shape, name="images"):
    """Checks rank, spatial size and channels of an image batch against `(H, W, C)`.

    Returns the images as float32.
    """
    images = tf.convert_to_tensor(images)
    shape = images.shape
    height, width, channels = expected_shape
    if shape.rank != 4:
        raise ValueError(
            f"{name} must have rank 4 [batch, {height}, {width}, {channels}]; received rank "
            f"{shape.rank} with shape {shape}."
        )
    if tuple(shape[1:3]) != (height, width):
        raise ValueError(
            f"{name} must be {height}x{width} for this model; received {shape[1]}x{shape[2]} "
            f"(shape {shape})."
        )
    if shape[3] != channels:
        raise ValueError(
            f"{name} must have {channels} channel(s) for this model; received {shape[3]} "
            f"(shape {shape})."
        )
    return tf.cast(images, tf.float32)


def check_labels_in_graph(labels, num_classes):
    """Rank check at trace time; returns int32 labels.

    Values are range-checked where data enters (`keras_gans.data`, `sample`): an in-graph assert
    here reorders the cross-replica collectives under `MirroredStrategy` and aborts them. An
    out-of-range label that still reaches the networks fails in the embedding lookup.
    """
    labels = tf.convert_to_tensor(labels)
    if labels.shape.rank == 2 and labels.shape[1] == 1:
        labels = tf.squeeze(labels, axis=1)
    if labels.shape.rank != 1:
        raise ValueError(f"labels must have shape [batch]; received shape {labels.shape}.")
    labels = tf.cast(labels, tf.int32)
    return labels


def check_label_values(labels, num_classes):
    """Eager check of concrete `[batch]` labels; returns them as an int32 numpy array."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape [batch]; received shape {labels.shape}.")
    return validate_labels(labels, num_classes)


def check_number_at_least_zero(name, value):
    """Raises the ValueError naming `value` unless it is an int or float (not a bool) >= 0.

    NaN fails too (`not nan >= 0`).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0; received {value!r}.")
