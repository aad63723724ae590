"""Translate image files of any size with an exported CycleGAN translator (`keras-gans-translate`).

The translator is a SavedModel folder, an `.onnx` file or an export folder holding `a_to_b/` and
`b_to_a/` (opened with `sampler.load_generator`). Each image is read, converted to the model's
channels, mapped to [-1, 1] and translated at its own size: the graph pads to a multiple of 4 and
crops back itself (`keras_gans.layers.PadToMultiple`), so the output has the input's size.
"""

import dataclasses
import os

import numpy as np
import tensorflow as tf

from keras_gans import images as images_lib
from keras_gans.data.images import to_channels
from keras_gans.export import sampler
from keras_gans.models.cyclegan.networks import MIN_ANY_SIZE

#: The directions of a CycleGAN export, each a graph folder of the export.
DIRECTIONS = ("a_to_b", "b_to_a")
#: File extensions (lower case) read from an `--input` folder.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


@dataclasses.dataclass(frozen=True)
class TranslateConfig:
    """What `keras-gans-translate` does.

    Attributes:
        model_path: A SavedModel folder, an `.onnx` file, or an export folder with `a_to_b/`
            and `b_to_a/` (then `direction` picks one).
        input: An image file (PNG or JPEG) or a folder of them (not searched recursively).
        output: The folder the translations are written to, one `<stem>.png` per input.
        direction: `a_to_b` or `b_to_a`; needed for an export folder holding both.
        device: ONNX Runtime device for `.onnx` files: `auto`, `cpu` or `cuda`.
    """

    model_path: str
    input: str
    output: str
    direction: str | None = None
    device: str = "auto"


def open_translator(model_path, direction=None, device="auto"):
    """Opens one exported translator; returns `(generator, input_name)`.

    Raises:
        ValueError: If `model_path` is neither a SavedModel folder, an `.onnx` file nor an export
            folder, if `direction` is unknown or disagrees with the graph, or if the graph does
            not take one image batch of any size.
    """
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}; received {direction!r}.")
    model_path = os.fspath(model_path)
    if os.path.isdir(model_path):
        present = [d for d in DIRECTIONS if os.path.isdir(os.path.join(model_path, d))]
        if present:
            if direction is None and len(present) > 1:
                raise ValueError(
                    f"{model_path} holds the translators {present}; choose one with "
                    "--direction=a_to_b or --direction=b_to_a."
                )
            if direction is not None and direction not in present:
                raise ValueError(f"{model_path} holds no {direction} translator; it has {present}.")
            model_path = os.path.join(model_path, direction or present[0])
    is_onnx = model_path.endswith(".onnx") and os.path.isfile(model_path)
    if not (is_onnx or os.path.isdir(model_path)):
        raise ValueError(
            "model_path must be a SavedModel folder, an .onnx file or an export folder with "
            f"a_to_b/ or b_to_a/; received {model_path!r}."
        )
    generator = sampler.load_generator(model_path, device=device)
    graph = generator.metadata.get("graph")
    if direction is not None and graph in DIRECTIONS and graph != direction:
        raise ValueError(f"{model_path} translates {graph}, not --direction={direction}.")
    specs = generator.input_specs
    if len(specs) != 1 or len(specs[0].shape) != 4 or specs[0].dtype != "float32":
        taken = "; ".join(spec.describe() for spec in specs)
        raise ValueError(f"{model_path} is not an image translator: it takes {taken}.")
    if specs[0].shape[1:3] != (None, None):
        raise ValueError(
            f"{model_path} takes images of one size only ({specs[0].describe()}); export it again "
            "with this version of keras-gans for images of any size."
        )
    return generator, specs[0].name


def input_files(path):
    """The image files `path` names: itself, or the PNG and JPEG files of a folder, sorted."""
    path = os.fspath(path)
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        raise ValueError(f"input {path!r} does not exist; give an image file or a folder of them.")
    files = sorted(
        os.path.join(path, name)
        for name in os.listdir(path)
        if name.lower().endswith(IMAGE_EXTENSIONS) and os.path.isfile(os.path.join(path, name))
    )
    if not files:
        raise ValueError(f"input folder {path!r} holds no {'/'.join(IMAGE_EXTENSIONS)} files.")
    return files


def read_image(path, channels):
    """`path` as float32 `[H, W, channels]` in [-1, 1] (grey and colour converted, alpha dropped).

    Raises:
        ValueError: If the file does not decode as an image, or a side is below `MIN_ANY_SIZE`.
    """
    try:
        image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
    except tf.errors.InvalidArgumentError:
        raise ValueError(
            f"Cannot read {path} as an image: it does not decode as PNG, JPEG, GIF or BMP."
        ) from None
    height, width = int(image.shape[0]), int(image.shape[1])
    if min(height, width) < MIN_ANY_SIZE:
        raise ValueError(
            f"{path} is {width}x{height}; the translator needs sides of at least {MIN_ANY_SIZE}."
        )
    image = to_channels(tf.image.convert_image_dtype(image, tf.float32), channels)
    return (image * 2.0 - 1.0).numpy()


def translate_files(config):
    """Translates every image `config.input` names into `config.output`, one PNG each.

    Every file is read (and checked) before anything is written.

    Args:
        config: A `TranslateConfig`.

    Returns:
        The paths written, in input order.

    Raises:
        ValueError: Naming the bad value (see `open_translator`, `input_files`, `read_image`), or
            when two inputs share a stem (`a.png`, `a.jpg`) and would write the same file.
    """
    files = input_files(config.input)
    stems = [os.path.splitext(os.path.basename(f))[0] for f in files]
    if len(set(stems)) != len(stems):
        twice = sorted({s for s in stems if stems.count(s) > 1})
        raise ValueError(f"input files share the stems {twice}; each writes <stem>.png.")
    generator, name = open_translator(config.model_path, config.direction, config.device)
    channels = generator.input_specs[0].shape[-1]
    images = [read_image(f, channels) for f in files]
    paths = []
    for stem, image in zip(stems, images):
        translated = generator.run({name: image[np.newaxis]})["images"][0]
        paths.append(os.path.join(config.output, f"{stem}.png"))
        images_lib.write_png(paths[-1], images_lib.to_uint8(translated))
    return paths
