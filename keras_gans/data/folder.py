"""Images from a folder on disk, optionally with class labels from its subfolders."""

from __future__ import annotations

import logging
import os

import tensorflow as tf

from keras_gans.data.images import (
    check_channels,
    check_positive_int,
    check_resize,
    prepare_image,
)
from keras_gans.data.info import DatasetInfo

logger = logging.getLogger(__name__)

#: File extensions (lower case) that `load_folder` reads; matching ignores case.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def _find_images(path: str) -> list[str]:
    """Sorted paths of every image file under `path`, searched recursively."""
    found = []
    for directory, _, files in tf.io.gfile.walk(path):
        found.extend(
            os.path.join(directory, f) for f in files if f.lower().endswith(IMAGE_EXTENSIONS)
        )
    return sorted(found)


def _readable(files: list[str]):
    """Splits files into those that decode and `(path, reason)` for the rest (corrupt, truncated).

    Decoding each file once up front costs a pass over the folder, but a bad file then never
    stops a run half-way through an epoch.
    """
    good, bad = [], []
    for file_path in files:
        try:
            tf.io.decode_image(tf.io.read_file(file_path), expand_animations=False)
        except (tf.errors.InvalidArgumentError, tf.errors.OutOfRangeError) as error:
            # Drop TensorFlow's "{{function_node ...}}" prefix: the reason is what follows.
            bad.append((file_path, error.message.split("}} ")[-1].splitlines()[0].strip()[:120]))
        else:
            good.append(file_path)
    return good, bad


def _class_labels(path: str, files: list[str]):
    """Per-file labels and class names when every image sits inside a subfolder of `path`.

    Returns `(None, None)` when any image lies directly in `path` (an unlabelled folder).
    """
    top_dirs = []
    for f in files:
        parts = os.path.relpath(f, path).split(os.sep)
        if len(parts) < 2:
            return None, None
        top_dirs.append(parts[0])
    class_names = sorted(set(top_dirs))
    index = {c: i for i, c in enumerate(class_names)}
    return [index[d] for d in top_dirs], class_names


def load_folder(
    path: str, image_size: int, channels: int, resize: str = "crop"
) -> tuple[tf.data.Dataset, DatasetInfo]:
    """Loads every image under a folder as GAN-ready elements.

    Files with the extensions in `IMAGE_EXTENSIONS` are found recursively. When every
    image sits inside a subfolder (`path/<class_name>/...`), the sorted first-level
    subfolder names give integer labels 0..K-1; when any image lies directly in `path`,
    there are no labels.

    Args:
        path: The folder to read.
        image_size: Height and width of the output images.
        resize: How images that are not square become square: `crop` (the default) takes the
            centred square of side min(H, W), then resizes it; `stretch` resizes the whole
            image, distorting its aspect ratio.
        channels: Output channels, 1 (grey) or 3 (RGB); images are converted as needed
            and alpha channels dropped.

    Returns:
        A tuple `(dataset, info)`. The unbatched dataset yields dicts
        `{"images": float32 [image_size, image_size, channels] in [-1, 1],
        "labels": int32 scalar}` ("labels" only for the class-subfolder layout), in
        sorted file order.

    Files that do not decode (corrupt or truncated) are skipped, counted and logged as a
    warning; they never stop a run mid-epoch.

    Raises:
        ValueError: If `path` is missing or holds no image files (or none that decodes),
            or `image_size` / `channels` / `resize` are invalid.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    resize = check_resize(resize)
    path = os.fspath(path)
    searched = ", ".join(IMAGE_EXTENSIONS)
    if not tf.io.gfile.isdir(path):
        raise ValueError(
            f"Image folder {path!r} does not exist or is not a directory (looked for {searched})."
        )
    files = _find_images(path)
    if not files:
        raise ValueError(
            f"No image files found under {path!r}; searched recursively for {searched}."
        )

    files, unreadable = _readable(files)
    if unreadable:
        shown = "; ".join(f"{name} ({reason})" for name, reason in unreadable[:5])
        logger.warning(
            "Skipped %d unreadable image file(s) of %d under %s: %s%s",
            len(unreadable),
            len(files) + len(unreadable),
            path,
            shown,
            " ..." if len(unreadable) > 5 else "",
        )
    if not files:
        raise ValueError(
            f"None of the {len(unreadable)} image files under {path!r} could be decoded; "
            f"the first: {unreadable[0][0]} ({unreadable[0][1]})."
        )
    labels, class_names = _class_labels(path, files)

    def to_element(file_path, *label):
        image = tf.io.decode_image(tf.io.read_file(file_path), expand_animations=False)
        element = {"images": prepare_image(image, image_size, channels, resize)}
        if label:
            element["labels"] = label[0]
        return element

    if labels is None:
        dataset = tf.data.Dataset.from_tensor_slices(files)
    else:
        dataset = tf.data.Dataset.from_tensor_slices((files, tf.constant(labels, tf.int32)))
    dataset = dataset.map(to_element, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset, DatasetInfo(
        num_examples=len(files),
        num_classes=None if class_names is None else len(class_names),
        image_size=image_size,
        channels=channels,
    )
