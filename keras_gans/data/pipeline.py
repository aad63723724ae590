"""`make_dataset`: one entry point from a source spec string to batched training data."""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow as tf

from keras_gans.data import batching
from keras_gans.data.digits import DIGITS_NUM_CLASSES, digits_parts
from keras_gans.data.faces import load_faces
from keras_gans.data.folder import load_folder
from keras_gans.data.images import check_channels, check_positive_int
from keras_gans.data.info import DatasetInfo
from keras_gans.data.tfds_source import load_tfds


def validate_labels(labels, num_classes: int) -> np.ndarray:
    """Checks that integer class labels lie in `[0, num_classes)`.

    Args:
        labels: A numpy array or eager tensor of integer labels, any shape.
        num_classes: The number of classes; a positive integer.

    Returns:
        The labels as an int32 numpy array.

    Raises:
        ValueError: If `num_classes` is not a positive integer, the labels are not
            integers, or any label falls outside `[0, num_classes)`.
    """
    num_classes = check_positive_int("num_classes", num_classes)
    array = np.asarray(labels)
    if not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
        raise ValueError(f"labels must be integers; received dtype {array.dtype}.")
    if array.size:
        low, high = int(array.min()), int(array.max())
        if low < 0 or high >= num_classes:
            raise ValueError(
                f"labels must lie in [0, {num_classes}); received min {low}, max {high}."
            )
    return array.astype(np.int32)


def dataset_from_arrays(
    images,
    labels=None,
    *,
    batch_size: int,
    num_classes: Optional[int] = None,
    num_replicas: int = 1,
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = False,
    drop_remainder: bool = True,
) -> tf.data.Dataset:
    """Builds the batched element-dict pipeline from in-memory arrays.

    Args:
        images: float32-convertible array `[N, H, W, C]`, expected in [-1, 1].
        labels: Optional integer array `[N]`; needs `num_classes`.
        batch_size: Global batch size (split evenly over `num_replicas`).
        num_classes: Number of label classes; labels are checked against it eagerly.
        num_replicas: Replicas the global batch is split over; must divide batch_size.
        shuffle: Whether to shuffle (full buffer, reshuffled each epoch).
        seed: Shuffle seed; the same seed gives the same order.
        repeat: Whether to repeat forever.
        drop_remainder: Drop the last partial batch so every step has the full global
            batch; required when num_replicas > 1.

    Returns:
        A dataset of `{"images": float32 [B, H, W, C], "labels": int32 [B]}` dicts
        ("labels" only when `labels` is given).

    Raises:
        ValueError: On malformed arrays, out-of-range labels or invalid batching.
    """
    batch_size, num_replicas = batching.check_batching(batch_size, num_replicas, drop_remainder)
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4:
        raise ValueError(f"images must have shape [N, H, W, C]; received shape {images.shape}.")
    elements = {"images": images}
    if labels is not None:
        if num_classes is None:
            raise ValueError("num_classes must be given with labels; received num_classes=None.")
        labels = validate_labels(labels, num_classes)
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"labels must have shape [{images.shape[0]}] to match images; "
                f"received shape {list(labels.shape)}."
            )
        elements["labels"] = labels
    batching.check_batch_fits(batch_size, images.shape[0], "the arrays")
    return batching.finish(
        tf.data.Dataset.from_tensor_slices(elements),
        batch_size=batch_size,
        shuffle=shuffle,
        buffer_size=images.shape[0],
        seed=seed,
        repeat=repeat,
        drop_remainder=drop_remainder,
    )


def make_dataset(
    spec: str,
    image_size: int,
    channels: int,
    batch_size: int,
    num_replicas: int = 1,
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = False,
    with_labels: Optional[bool] = None,
    drop_remainder: bool = True,
    resize: str = "crop",
) -> tuple[tf.data.Dataset, DatasetInfo]:
    """Builds a batched, shuffled, prefetched image dataset from a source spec.

    Batches always have the full global batch size: the last partial batch of each
    epoch is dropped (`drop_remainder=True`, the default and required when
    `num_replicas > 1`), so every training step splits evenly over the replicas and
    sees the same batch shape.

    Args:
        spec: Which source: "digits" (the `train` half of scikit-learn's 8x8 digits, 896
            labelled images; the other half is held out for evaluation, see
            `keras_gans.data.digits.digits_parts`),
            "faces" (scikit-image's 100 LFW faces and their mirror images, unlabelled),
            "tfds:NAME" or "tfds:NAME:SPLIT" (a TFDS dataset; split defaults to
            "train") or "folder:PATH" (image files, labelled by class subfolders; a seeded
            tenth, at least 4 files, is held out for evaluation and never read here:
            `keras_gans.data.folder.heldout_split`).
        image_size: Height and width of the (square) output images.
        channels: Output channels, 1 (grey) or 3 (RGB).
        batch_size: Global batch size; must be divisible by `num_replicas` and, when
            the example count is known, at most that count.
        num_replicas: Number of replicas the global batch is split over.
        shuffle: Whether to shuffle examples (seeded, reshuffled each epoch). Arrays
            are shuffled fully; streamed sources with a buffer of at most 10,000.
        seed: Shuffle seed; the same seed gives the same order.
        repeat: Whether to repeat the data forever.
        with_labels: None keeps labels when the source has them; True requires them;
            False drops them.
        drop_remainder: See above; False is allowed only with one replica.
        resize: How a folder's images become square (`load_folder`): `crop` or `stretch`.

    Returns:
        A tuple `(dataset, info)`. The dataset yields dicts
        `{"images": float32 [B, image_size, image_size, channels] in [-1, 1],
        "labels": int32 [B]}`; "labels" is present exactly when
        `info.num_classes` is not None.

    Raises:
        ValueError: On an unknown spec form, unknown TFDS name, empty or missing
            folder, invalid sizes, batch sizes that do not split over the replicas or
            exceed the data, out-of-range labels, or `with_labels=True` on an
            unlabelled source.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    batch_size, num_replicas = batching.check_batching(batch_size, num_replicas, drop_remainder)
    kind, argument, split = batching.parse_spec(spec)

    if kind == "digits":
        # Only the train part: the held-out digits are what evaluation compares samples with.
        images, labels = digits_parts(image_size)["train"]
        if channels == 3:
            images = np.repeat(images, 3, axis=-1)
        info = DatasetInfo(
            num_examples=len(images),
            num_classes=DIGITS_NUM_CLASSES,
            image_size=image_size,
            channels=channels,
        )
        labels = validate_labels(labels, DIGITS_NUM_CLASSES)
        dataset = tf.data.Dataset.from_tensor_slices({"images": images, "labels": labels})
        buffer_size = len(images)
    elif kind == "faces":
        images = load_faces(image_size)
        if channels == 3:
            images = np.repeat(images, 3, axis=-1)
        info = DatasetInfo(len(images), None, image_size, channels)
        dataset = tf.data.Dataset.from_tensor_slices({"images": images})
        buffer_size = len(images)
    else:
        if kind == "tfds":
            dataset, info = load_tfds(argument, image_size, channels, split=split)
        else:
            dataset, info = load_folder(argument, image_size, channels, resize, part="train")
        # Labels from TFDS ClassLabels and folder classes are in range by construction.
        buffer_size = batching.shuffle_buffer(info.num_examples)

    if with_labels and not info.has_labels:
        raise ValueError(
            f"with_labels=True needs a labelled source; received spec {spec!r}, "
            "which has no labels."
        )
    if with_labels is False and info.has_labels:
        dataset = dataset.map(lambda element: {"images": element["images"]})
        info = DatasetInfo(info.num_examples, None, info.image_size, info.channels)

    batching.check_batch_fits(batch_size, info.num_examples, repr(spec))
    dataset = batching.finish(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        buffer_size=buffer_size,
        seed=seed,
        repeat=repeat,
        drop_remainder=drop_remainder,
    )
    return dataset, info
