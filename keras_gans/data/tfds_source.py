"""Images (and class labels) from a TensorFlow Datasets dataset."""

from __future__ import annotations

from typing import Optional

import tensorflow as tf

from keras_gans.data.images import check_channels, check_positive_int, prepare_image
from keras_gans.data.info import DatasetInfo


def _check_registered(name: str, tfds) -> None:
    """Raises a short ValueError when `name` is not a registered TFDS builder."""
    base = name.split("/")[0]
    # "namespace:name" and "name:version" forms are left to tfds.load to resolve.
    if ":" in base:
        return
    if base not in tfds.list_builders():
        raise ValueError(
            f"Unknown TFDS dataset name {name!r}; expected a registered builder such as "
            "'mnist' or 'cifar10' (see tfds.list_builders())."
        )


def load_tfds(
    name: str,
    image_size: int,
    channels: int,
    split: str = "train",
    data_dir: Optional[str] = None,
    image_key: Optional[str] = None,
    label_key: str = "label",
) -> tuple[tf.data.Dataset, DatasetInfo]:
    """Loads one split of a TFDS image dataset as GAN-ready elements.

    Args:
        name: TFDS builder name, optionally with config/version ("mnist", "cifar10",
            "celeb_a/2.1.0").
        image_size: Height and width of the output images (they are resized square).
        channels: Output channels, 1 (grey) or 3 (RGB); sources are converted as needed.
        split: TFDS split, including slicing syntax ("train", "test[:10%]").
        data_dir: Where TFDS keeps (or finds) prepared data; None for its default.
        image_key: Feature holding the image; defaults to "image".
        label_key: Feature holding an integer class label. Elements carry "labels"
            only when this feature exists and is a ClassLabel (known class count).

    Returns:
        A tuple `(dataset, info)`. The unbatched dataset yields dicts
        `{"images": float32 [image_size, image_size, channels] in [-1, 1],
        "labels": int32 scalar}` ("labels" only when `info.num_classes` is not None).

    Raises:
        ValueError: If `name` is not a registered TFDS dataset, the image feature is
            missing, or `image_size` / `channels` are invalid.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    # Imported lazily: tensorflow_datasets is slow to import and only this source needs it.
    import tensorflow_datasets as tfds

    _check_registered(name, tfds)
    try:
        dataset, tfds_info = tfds.load(name, split=split, data_dir=data_dir, with_info=True)
    except tfds.core.registered.DatasetNotFoundError:
        # tfds's own message lists every registered builder; a short error is clearer.
        raise ValueError(f"Unknown TFDS dataset name {name!r}; see tfds.list_builders().") from None

    feature_keys = list(tfds_info.features.keys())
    if image_key is None:
        image_key = "image"
    if image_key not in feature_keys:
        raise ValueError(
            f"image_key must name an image feature of {name!r}, one of {feature_keys}; "
            f"received {image_key!r}."
        )

    num_classes = None
    if label_key in feature_keys:
        num_classes = getattr(tfds_info.features[label_key], "num_classes", None)

    def to_element(features):
        element = {"images": prepare_image(features[image_key], image_size, channels)}
        if num_classes is not None:
            element["labels"] = tf.cast(features[label_key], tf.int32)
        return element

    num_examples = _num_examples(dataset, tfds_info, split)
    dataset = dataset.map(to_element, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset, DatasetInfo(
        num_examples=num_examples,
        num_classes=num_classes,
        image_size=image_size,
        channels=channels,
    )


def _num_examples(dataset: tf.data.Dataset, tfds_info, split: str) -> Optional[int]:
    """Example count from the dataset's cardinality, else the split metadata, else None."""
    cardinality = int(dataset.cardinality())
    if cardinality >= 0:
        return cardinality
    try:
        return int(tfds_info.splits[split].num_examples)
    except (KeyError, ValueError, TypeError):
        return None
