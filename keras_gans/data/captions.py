"""Image-caption pairs for text-to-image models: every element is `{"images", "captions"}`.

Sources:

* `digits`: scikit-learn's bundled 8x8 digits with captions built from each image's label and
  two measured attributes, stroke thickness (ink mass) and slant (second moments), relative to
  the digit's class, e.g. "a thick seven leaning right". Bundled: no download. Only the `train`
  half of the digits (`keras_gans.data.digits.digits_parts`); the rest is held out for evaluation.
* `tfds:caltech_birds2011[:SPLIT]`: CUB-200-2011 from TensorFlow Datasets, birds cropped
  around their bounding box as StackGAN does; captions from a caption folder when given
  (`load_cub_tfds(text_dir=...)`), else from the class name.
* `folder:PATH`: the layout the StackGAN releases use: `PATH/images/<class>/<name>.jpg` beside
  `PATH/text/<class>/<name>.txt` (or `text_c10/`), one caption per line (ten for CUB).

Images are float32 `[H, W, C]` in [-1, 1]; captions are non-empty tf.string scalars. Each caption
of an image is one element, so an image with ten captions appears ten times per epoch.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Optional

import numpy as np
import tensorflow as tf

from keras_gans.data import batching
from keras_gans.data.caption_text import check_captions, has_word, vocabulary_from_captions
from keras_gans.data.digit_captions import DIGIT_PREVIEW_CAPTIONS, load_digit_captions
from keras_gans.data.folder import IMAGE_EXTENSIONS
from keras_gans.data.images import check_channels, check_positive_int, prepare_image, to_channels
from keras_gans.data.info import DatasetInfo
from keras_gans.data.tfds_source import open_tfds, split_size

logger = logging.getLogger(__name__)

CUB_TFDS_NAME = "caltech_birds2011"
TEXT_FOLDERS = ("text", "text_c10")
_SPEC_FORMS = f"'digits', 'tfds:{CUB_TFDS_NAME}[:SPLIT]' or 'folder:PATH'"
# StackGAN crops CUB birds to a square of 1.5x the bounding box's longer side (ratio > 0.75).
_CUB_CROP_SCALE = 1.5


@dataclasses.dataclass(frozen=True)
class CaptionDatasetInfo(DatasetInfo):
    """`DatasetInfo` of a caption source.

    Attributes:
        vocabulary: Every word of the captions, most frequent first (for the text encoder).
        preview_captions: A few captions worth showing in sample grids.
    """

    vocabulary: tuple = ()
    preview_captions: tuple = ()


# -- Caption files ------------------------------------------------------------------------------
def read_caption_file(path):
    """The non-empty lines of a caption file, stripped.

    Raises:
        ValueError: Naming the file, if it is not UTF-8 text (an image saved as .txt, say),
            holds no caption, or holds a line without a word.
    """
    try:
        with tf.io.gfile.GFile(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except UnicodeDecodeError as error:
        # The codec's own message names a byte offset, not the file.
        raise ValueError(
            f"Caption file {path!r} is not UTF-8 text (byte {error.start}); expected one caption "
            "per line."
        ) from None
    captions = [line.strip() for line in text.splitlines() if line.strip()]
    if not captions:
        raise ValueError(f"Caption file {path!r} holds no caption; expected one caption per line.")
    for number, caption in enumerate(captions, 1):
        if not has_word(caption):
            raise ValueError(
                f"Caption file {path!r}: caption {number} ({caption!r}) holds no word; expected "
                "one caption per line."
            )
    return captions


def _text_folder(path):
    for name in TEXT_FOLDERS:
        candidate = os.path.join(path, name)
        if tf.io.gfile.isdir(candidate):
            return candidate
    return None


def _caption_files(text_dir):
    """`{relative path without extension: file path}` of every .txt under `text_dir`."""
    found = {}
    for directory, _, files in tf.io.gfile.walk(text_dir):
        for name in files:
            if name.endswith(".txt"):
                full = os.path.join(directory, name)
                found[os.path.splitext(os.path.relpath(full, text_dir))[0]] = full
    return found


def load_caption_folder(path, image_size, channels):
    """Image-caption pairs in the StackGAN release layout.

    Args:
        path: A folder with `images/` and `text/` (or `text_c10/`) holding the same relative
            paths: `images/<class>/<name>.jpg` is described by `text/<class>/<name>.txt`.
        image_size: Output height and width.
        channels: 1 or 3.

    Returns:
        `(unbatched dataset of {"images", "captions"}, captions list)`, in sorted file order.

    Raises:
        ValueError: If a folder is missing, no image has a caption file, or a caption file is
            empty.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    image_dir, text_dir = os.path.join(path, "images"), _text_folder(path)
    if not tf.io.gfile.isdir(image_dir) or text_dir is None:
        raise ValueError(
            f"A caption folder holds images/ and text/ (or text_c10/) subfolders; {path!r} "
            f"lacks {'images/' if not tf.io.gfile.isdir(image_dir) else 'text/'}."
        )
    texts = _caption_files(text_dir)
    files, captions, missing = [], [], 0
    for directory, _, names in sorted(tf.io.gfile.walk(image_dir)):
        for name in sorted(names):
            if not name.lower().endswith(IMAGE_EXTENSIONS):
                continue
            full = os.path.join(directory, name)
            key = os.path.splitext(os.path.relpath(full, image_dir))[0]
            if key not in texts:
                missing += 1
                continue
            for caption in read_caption_file(texts[key]):
                files.append(full)
                captions.append(caption)
    if not files:
        raise ValueError(
            f"No image under {image_dir!r} has a caption file under {text_dir!r} (same relative "
            "path, .txt extension)."
        )
    if missing:
        logger.warning(
            "%d images under %s have no caption file and are skipped.", missing, image_dir
        )

    def to_element(file_path, caption):
        image = tf.io.decode_image(tf.io.read_file(file_path), expand_animations=False)
        return {"images": prepare_image(image, image_size, channels), "captions": caption}

    dataset = tf.data.Dataset.from_tensor_slices((files, captions))
    return dataset.map(to_element, num_parallel_calls=tf.data.AUTOTUNE), captions


# -- CUB through TFDS ---------------------------------------------------------------------------
def crop_to_bbox(image, bbox, scale=_CUB_CROP_SCALE):
    """A square crop of `scale` x the longer side of `bbox` (normalised ymin, xmin, ymax, xmax)."""
    height = tf.cast(tf.shape(image)[0], tf.float32)
    width = tf.cast(tf.shape(image)[1], tf.float32)
    top, left, bottom, right = bbox[0] * height, bbox[1] * width, bbox[2] * height, bbox[3] * width
    half = tf.maximum(bottom - top, right - left) * scale / 2.0
    center_y, center_x = (top + bottom) / 2.0, (left + right) / 2.0
    y0 = tf.cast(tf.clip_by_value(center_y - half, 0.0, height - 1.0), tf.int32)
    x0 = tf.cast(tf.clip_by_value(center_x - half, 0.0, width - 1.0), tf.int32)
    y1 = tf.maximum(tf.cast(tf.clip_by_value(center_y + half, 0.0, height), tf.int32), y0 + 1)
    x1 = tf.maximum(tf.cast(tf.clip_by_value(center_x + half, 0.0, width), tf.int32), x0 + 1)
    return image[y0:y1, x0:x1]


def class_caption(label_name):
    """ "001.Black_footed_Albatross" -> "a black footed albatross"."""
    name = label_name.split(".", 1)[-1].replace("_", " ").strip().lower()
    return f"a {name}"


def load_cub_tfds(image_size, channels=3, split="train", text_dir=None, data_dir=None):
    """CUB-200-2011 (TFDS `caltech_birds2011`), cropped around each bird, with captions.

    Args:
        image_size: Output height and width.
        channels: 1 or 3.
        split: TFDS split.
        text_dir: Optional caption folder (`<class>/<name>.txt`, the release's `text_c10`);
            images are matched by their TFDS file name. Without it (or for an image it does not
            describe) the caption is the class name, e.g. "a black footed albatross".
        data_dir: Where TFDS keeps the prepared data.

    Returns:
        `(unbatched dataset of {"images", "captions"}, captions list, number of examples)`.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    dataset, info = open_tfds(CUB_TFDS_NAME, split, data_dir)
    names = [class_caption(name) for name in info.features["label"].names]
    files = _caption_files(text_dir) if text_dir else {}
    table_keys, table_values = [""], [""]
    for key, path in files.items():
        table_keys.append(os.path.basename(key))
        table_values.append("\n".join(read_caption_file(path)))
    lookup = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(table_keys, table_values), default_value=""
    )
    class_names = tf.constant(names)

    def to_elements(features):
        # CUB file names are unique across classes: match on the base name without extension.
        base = tf.strings.regex_replace(features["image/filename"], r"^.*/", "")
        key = tf.strings.regex_replace(base, r"\.[^.]*$", "")
        found = lookup.lookup(key)
        captions = tf.cond(
            tf.strings.length(found) > 0,
            lambda: tf.strings.split(found, "\n"),
            lambda: class_names[features["label"]][tf.newaxis],
        )
        image = crop_to_bbox(features["image"], features["bbox"])
        image = prepare_image(to_channels(image, channels), image_size, channels)
        return tf.data.Dataset.from_tensor_slices(
            {
                "images": tf.repeat(image[tf.newaxis], tf.shape(captions)[0], axis=0),
                "captions": captions,
            }
        )

    count = split_size(dataset, info, split)
    per_image = 10 if files else 1
    vocabulary_source = [c for path in files.values() for c in read_caption_file(path)] or names
    return (
        dataset.flat_map(to_elements),
        vocabulary_source,
        None if count is None else count * per_image,
    )


# -- One entry point ----------------------------------------------------------------------------
def _parse(spec):
    """`(kind, argument)` of a caption spec: the image specs' grammar, narrowed to caption
    sources."""
    kind, argument, split = batching.parse_spec(
        spec, ("digits", "folder", "tfds"), _SPEC_FORMS, "A caption dataset spec is"
    )
    if kind == "digits":
        return "digits", None
    if kind == "folder":
        return "folder", argument
    if argument == CUB_TFDS_NAME:
        return "tfds", split
    raise ValueError(
        f"Caption data from TFDS is {CUB_TFDS_NAME!r} (CUB-200-2011); received {argument!r}."
    )


def make_caption_dataset(
    spec: str,
    image_size: int,
    channels: int,
    batch_size: int,
    num_replicas: int = 1,
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = False,
    captions_per_image: int = 2,
    max_tokens: Optional[int] = None,
):
    """Batched `{"images", "captions"}` pairs from a caption source spec.

    Args:
        spec: "digits", "tfds:caltech_birds2011[:SPLIT]" or "folder:PATH" (see the module).
        image_size: Height and width of the images.
        channels: 1 or 3.
        batch_size: Global batch size (divisible by `num_replicas`); last partial batch dropped.
        num_replicas: Replicas the global batch is split over.
        shuffle: Shuffle the pairs (seeded, reshuffled each epoch).
        seed: Seed of the shuffle and of the digits' partial captions.
        repeat: Repeat forever.
        captions_per_image: Captions made per digit image (digits only).
        max_tokens: Vocabulary cap (most frequent words).

    Returns:
        `(dataset, CaptionDatasetInfo)`; the vocabulary serves `StackGAN.build(vocabulary=...)`.

    Raises:
        ValueError: On an unknown spec, bad sizes or batching, missing folders or empty captions.
    """
    image_size = check_positive_int("image_size", image_size)
    channels = check_channels(channels)
    batch_size, num_replicas = batching.check_batching(batch_size, num_replicas, True)
    kind, argument = _parse(spec)
    preview = ()
    if kind == "digits":
        images, captions, _ = load_digit_captions(image_size, captions_per_image, seed)
        if channels == 3:
            images = np.repeat(images, 3, axis=-1)
        dataset = tf.data.Dataset.from_tensor_slices({"images": images, "captions": captions})
        vocabulary_source, count = list(captions), len(captions)
        preview = DIGIT_PREVIEW_CAPTIONS
    elif kind == "folder":
        dataset, vocabulary_source = load_caption_folder(argument, image_size, channels)
        count = len(vocabulary_source)
    else:
        dataset, vocabulary_source, count = load_cub_tfds(image_size, channels, split=argument)
    check_captions(vocabulary_source)
    if not preview:
        preview = tuple(dict.fromkeys(vocabulary_source))[:8]
    batching.check_batch_fits(batch_size, count, repr(spec))
    dataset = batching.finish(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        buffer_size=batching.shuffle_buffer(count),
        seed=seed,
        repeat=repeat,
        drop_remainder=True,
    )
    info = CaptionDatasetInfo(
        num_examples=count,
        num_classes=None,
        image_size=image_size,
        channels=channels,
        vocabulary=tuple(vocabulary_from_captions(vocabulary_source, max_tokens)),
        preview_captions=tuple(preview),
    )
    return dataset, info
