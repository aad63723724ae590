"""Images from a folder on disk, optionally with class labels from its subfolders.

A tenth of every folder (`HELDOUT_SHARE`, at least `MIN_HELDOUT` images) is held out for
evaluation and never trained on (`heldout_split`): the split is a function of the sorted file paths
and seed 0 only, stratified per class subfolder, so training and `keras-gans-eval` agree on it.
"""

from __future__ import annotations

import logging
import math
import os

import numpy as np
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
#: Share of a folder's images held out for evaluation.
HELDOUT_SHARE = 0.1
#: Held-out images at least: two halves (reference and real baseline) of at least 2 each, the
#: fewest a Frechet distance (a covariance) can be computed on.
MIN_HELDOUT = 4
#: Seed of the split: fixed, so every run on a folder holds out the same files.
SPLIT_SEED = 0
#: What `load_folder` can load: the training share, the held-out share, its two halves, or all.
PARTS = ("train", "heldout", "heldout_a", "heldout_b", "all")


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


def heldout_split(num_files, labels=None, seed=SPLIT_SEED):
    """Which of `num_files` sorted files are held out for evaluation, in two halves.

    Each class's files are put in a seeded random order and given the key (rank + 0.5) / count,
    their spread position within the class; the files of smallest key are held out. Every class
    thus gives about its share (a systematic stratified sample), and a class of one file is held
    out only when half the folder is.

    Args:
        num_files: How many (sorted, readable) files the folder holds.
        labels: Per-file class indices, or None for an unlabelled folder (one class).
        seed: Seed of the order within each class.

    Returns:
        `{"train", "heldout", "heldout_a", "heldout_b"}`: sorted int64 index arrays. The held-out
        share is `max(MIN_HELDOUT, ceil(HELDOUT_SHARE * num_files))` files; its halves alternate
        along the key order, so both are stratified too (`heldout_a` holds the odd one).

    Raises:
        ValueError: If fewer than `2 * MIN_HELDOUT` files are given: the held-out share would
            leave fewer training images than it holds.
    """
    if num_files < 2 * MIN_HELDOUT:
        raise ValueError(
            f"holds {num_files} readable image(s); at least {2 * MIN_HELDOUT} are needed: "
            f"{MIN_HELDOUT} (two sets of {MIN_HELDOUT // 2}) are held out for evaluation and "
            "never trained on."
        )
    labels = np.zeros(num_files, np.int64) if labels is None else np.asarray(labels)
    rng = np.random.default_rng(seed)
    keys = np.empty(num_files)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        keys[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    # Stable: ties (classes of equal size) go to the lower file index, whatever the platform.
    order = np.argsort(keys, kind="stable")
    count = max(MIN_HELDOUT, math.ceil(HELDOUT_SHARE * num_files))
    heldout = order[:count]
    return {
        "train": np.sort(order[count:]),
        "heldout": np.sort(heldout),
        "heldout_a": np.sort(heldout[0::2]),
        "heldout_b": np.sort(heldout[1::2]),
    }


def load_folder(
    path: str, image_size: int, channels: int, resize: str = "crop", part: str = "all"
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
        part: Which files (`heldout_split`): `all` (the default), `train` (what training
            pipelines read: no held-out file ever reaches them), `heldout` or its halves
            `heldout_a` / `heldout_b`.

    Returns:
        A tuple `(dataset, info)`. The unbatched dataset yields dicts
        `{"images": float32 [image_size, image_size, channels] in [-1, 1],
        "labels": int32 scalar}` ("labels" only for the class-subfolder layout), in
        sorted file order.

    Files that do not decode (corrupt or truncated) are skipped, counted and logged as a
    warning; they never stop a run mid-epoch.

    Raises:
        ValueError: If `path` is missing or holds no image files (or none that decodes), too
            few to split (`heldout_split`), or `image_size` / `channels` / `resize` / `part` are
            invalid.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(map(repr, PARTS))}; received {part!r}.")
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
    if part != "all":
        try:
            keep = heldout_split(len(files), labels)[part]
        except ValueError as error:
            raise ValueError(f"Image folder {path!r} {error}") from None
        files = [files[i] for i in keep]
        labels = None if labels is None else [labels[i] for i in keep]

    def to_element(file_path, *label):
        image = tf.io.decode_image(tf.io.read_file(file_path), expand_animations=False)
        element = {"images": prepare_image(image, image_size, channels, resize)}
        if label:
            element["labels"] = label[0]
        return element

    if class_names is None:
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


def heldout_half_size(path):
    """The smaller held-out half's size of the folder at `path`, from its file listing alone.

    No file is decoded, so this is cheap enough to check an evaluation's sample count before a
    run trains; files that turn out unreadable can make the real halves smaller.

    Raises:
        ValueError: If `path` holds too few image files to split (`heldout_split`).
    """
    path = os.fspath(path)
    files = _find_images(path) if tf.io.gfile.isdir(path) else []
    try:
        split = heldout_split(len(files), _class_labels(path, files)[0])
    except ValueError as error:
        raise ValueError(f"Image folder {path!r} {error}") from None
    return min(len(split["heldout_a"]), len(split["heldout_b"]))


def folder_arrays(path, image_size, channels, resize="crop", part="train"):
    """`load_folder`'s images (and labels) of one part as numpy arrays, for evaluation.

    Returns:
        `(images [N, image_size, image_size, channels] float32 in [-1, 1], labels [N] int32 or
        None)`.
    """
    dataset, info = load_folder(path, image_size, channels, resize, part)
    batch = next(iter(dataset.batch(info.num_examples)))
    labels = batch.get("labels")
    return batch["images"].numpy(), None if labels is None else labels.numpy()
