"""Images (and class labels) from a TensorFlow Datasets dataset."""

from __future__ import annotations

from typing import Optional

import tensorflow as tf

from keras_gans.data.images import check_channels, check_positive_int, prepare_image
from keras_gans.data.info import DatasetInfo

# Seconds the reachability probe waits before calling a download impossible. tfds itself retries
# a refused connection ten times with backoff (minutes) and sets no timeout at all.
PROBE_TIMEOUT = 10


def _check_registered(name: str, tfds) -> None:
    """Raises a short ValueError when `name` is not a registered TFDS builder."""
    base = name.split("/")[0]
    # "namespace:name" and "name:version" forms are left to tfds.builder to resolve.
    if ":" in base:
        return
    # Community datasets are namespaced (handled above); listing them reads a GCS index, which
    # hangs for minutes offline.
    if base not in tfds.list_builders(with_community_datasets=False):
        raise ValueError(
            f"Unknown TFDS dataset name {name!r}; expected a registered builder such as "
            "'mnist' or 'cifar10' (see tfds.list_builders())."
        )


def _unreachable(url: str) -> Optional[str]:
    """Why `url`'s server cannot be reached (e.g. "ProxyError"), or None when it answers at all."""
    import requests

    try:
        requests.head(url, timeout=PROBE_TIMEOUT, allow_redirects=False)
    except (requests.ConnectionError, requests.Timeout) as error:
        return type(error).__name__
    return None  # any HTTP answer, even 403 or 405, means the network works


def open_tfds(name: str, split: str, data_dir: Optional[str] = None):
    """`(dataset, tfds_info)` of a TFDS split: read where prepared, else downloaded and prepared.

    Unlike `tfds.load`, a dataset that is not prepared and whose download server cannot be
    reached fails within seconds, with a message saying how to provide the data.

    Raises:
        ValueError: If `name` is not a registered TFDS dataset, or it is not prepared and cannot
            be downloaded.
    """
    # Imported lazily: tensorflow_datasets is slow to import and only TFDS sources need it.
    import tensorflow_datasets as tfds

    _check_registered(name, tfds)
    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        # tfds's own message lists every registered builder; a short error is clearer.
        raise ValueError(f"Unknown TFDS dataset name {name!r}; see tfds.list_builders().") from None
    if not builder.is_prepared():
        _download_and_prepare(builder, name)
    return builder.as_dataset(split=split, shuffle_files=False), builder.info


def _download_and_prepare(builder, name: str) -> None:
    """`builder.download_and_prepare()`, failing fast when the download server is unreachable."""
    data_dir = builder.data_dir  # download_and_prepare points it at a temporary folder meanwhile
    prepare = builder._download_and_prepare  # noqa: SLF001 - the step that downloads

    def checked_prepare(*args, **kwargs):
        # Probed here, inside the real download step, so tfds.testing.mock_data (which replaces
        # download_and_prepare) never touches the network.
        urls = sorted(
            builder.url_infos or ()
        )  # the files the download fetches, when tfds lists them
        reason = _unreachable(urls[0]) if urls else None
        if reason is not None:
            raise ValueError(
                f"TFDS dataset {name!r} is not prepared in {data_dir} and cannot be downloaded "
                f"({urls[0].split('/')[2]} unreachable: {reason}). Prepare it where there is a "
                f"network (`tfds build {name.split('/')[0]}`), then point the TFDS_DATA_DIR "
                "environment variable (or `data_dir=`) at the folder holding it."
            )
        return prepare(*args, **kwargs)

    builder._download_and_prepare = checked_prepare  # noqa: SLF001
    builder.download_and_prepare()


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
        data_dir: Where TFDS keeps (or finds) prepared data; None for its default
            (`TFDS_DATA_DIR`, else `~/tensorflow_datasets`).
        image_key: Feature holding the image; defaults to "image".
        label_key: Feature holding an integer class label. Elements carry "labels"
            only when this feature exists and is a ClassLabel (known class count).

    Returns:
        A tuple `(dataset, info)`. The unbatched dataset yields dicts
        `{"images": float32 [image_size, image_size, channels] in [-1, 1],
        "labels": int32 scalar}` ("labels" only when `info.num_classes` is not None).

    Raises:
        ValueError: If `name` is not a registered TFDS dataset, it is not prepared and its
            download server cannot be reached, the image feature is missing, or `image_size` /
            `channels` are invalid.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    dataset, tfds_info = open_tfds(name, split, data_dir)

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

    count = split_size(dataset, tfds_info, split)
    dataset = dataset.map(to_element, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset, DatasetInfo(
        num_examples=count,
        num_classes=num_classes,
        image_size=image_size,
        channels=channels,
    )


def split_size(dataset: tf.data.Dataset, tfds_info, split: str) -> Optional[int]:
    """Example count from the dataset's cardinality, else the split metadata, else None."""
    cardinality = int(dataset.cardinality())
    if cardinality >= 0:
        return cardinality
    try:
        return int(tfds_info.splits[split].num_examples)
    except (KeyError, ValueError, TypeError):
        return None
