"""SavedModel signatures with images as encoded bytes, for TF Serving's REST API.

Beside `serving_default` (float32 images), every SavedModel of an export gets:

* `serving_png`: the graph's own inputs; each image output `<name>` becomes `<name>_bytes`, a
  string `[batch]` of PNG files (e.g. `images_bytes`). TF Serving's REST API base64-encodes
  outputs whose names end in `_bytes` (`{"b64": "..."}`).
* `serving_image_bytes`, for graphs whose training model names image inputs
  (`Deployment.image_inputs`, CycleGAN's translators): each image input `<name>` becomes
  `<name>_bytes`, a string `[batch]` of PNG or JPEG files (e.g. `image_a_bytes`), decoded to the
  graph's channels, resized to its height and width when the graph fixes them and they differ
  (`tf.image.resize`, bilinear with antialiasing; CycleGAN's any-size translators take each
  image as it is) and mapped to [-1, 1]; the outputs are PNGs as in `serving_png`.
  Bytes that are no PNG or JPEG fail the call with `InvalidArgumentError`.

Images map to uint8 as `signatures.to_uint8` does, so a decoded `serving_png` image equals
`serving_default`'s uint8 output exactly. ONNX has no string tensors: `model.onnx` is unaffected.
"""

import tensorflow as tf

from keras_gans.export import signatures

PNG_SIGNATURE = "serving_png"
IMAGE_BYTES_SIGNATURE = "serving_image_bytes"
SIGNATURE_KEYS = (PNG_SIGNATURE, IMAGE_BYTES_SIGNATURE)
BYTES_SUFFIX = "_bytes"
# Channels tf.io.decode_image can produce (and tf.io.encode_png can write, with 2).
_DECODABLE_CHANNELS = (1, 3, 4)


def from_uint8(images):
    """Maps uint8 images in [0, 255] to float32 in [-1, 1] (the inverse of `to_uint8`)."""
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def encode_outputs(outputs):
    """`{name: float images}` to `{name_bytes: PNG strings [batch]}`."""
    return {
        name + BYTES_SUFFIX: tf.map_fn(
            tf.io.encode_png, signatures.to_uint8(images), fn_output_signature=tf.string
        )
        for name, images in outputs.items()
    }


def _check_image_outputs(model):
    for name, tensor in zip(signatures.output_names(model), model.outputs):
        if len(tensor.shape) != 4 or tensor.shape[-1] not in (1, 2, 3, 4):
            raise ValueError(
                f"PNG outputs need images [batch, H, W, C] with C in 1..4; output {name!r} has "
                f"shape {tuple(tensor.shape)}."
            )


def png_function(model):
    """A `tf.function` with `model`'s input signature returning `{<output>_bytes: PNGs}`."""
    _check_image_outputs(model)
    serve = signatures.serving_function(model)

    def serve_png(*tensors):
        return encode_outputs(serve(*tensors))

    return tf.function(serve_png, input_signature=signatures.input_specs(model), autograph=False)


def _decoder(spec):
    """`bytes [batch] -> float32 [batch, H, W, C]` in [-1, 1] for an image input `spec`."""
    if spec.shape.rank != 4 or not spec.dtype.is_floating:
        raise ValueError(
            f"Image input {spec.name!r} must be float [batch, H, W, C]; it is {spec.dtype.name} "
            f"{spec.shape}."
        )
    height, width, channels = spec.shape[1:]
    if channels not in _DECODABLE_CHANNELS:
        raise ValueError(
            f"Image input {spec.name!r} has {channels} channels; decoded images have one of "
            f"{_DECODABLE_CHANNELS}."
        )

    def decode(data):
        image = from_uint8(tf.io.decode_image(data, channels=channels, expand_animations=False))
        if height is None or width is None:  # a graph of any size takes the image as it is
            return image
        size = tf.constant([height, width])
        # Resizing to the same size would still resample; keep such images bit for bit.
        image = tf.cond(
            tf.reduce_all(tf.shape(image)[:2] == size),
            lambda: image,
            lambda: tf.image.resize(image, size, antialias=True),
        )
        return tf.ensure_shape(image, [height, width, channels])

    def decode_batch(strings):
        signature = tf.TensorSpec([height, width, channels], tf.float32)
        return tf.map_fn(decode, strings, fn_output_signature=signature)

    return decode_batch


def image_bytes_function(model, image_inputs):
    """A `tf.function` taking `<name>_bytes` strings for the inputs `image_inputs`.

    Args:
        model: A functional `keras.Model` with named inputs and image outputs.
        image_inputs: Names of `model`'s float image inputs `[batch, H, W, C]` in [-1, 1].

    Returns:
        A `tf.function`: the other inputs as in `serving_default`, `{<output>_bytes: PNGs}` out.

    Raises:
        ValueError: If a name is not an input of `model` or not an image input.
    """
    _check_image_outputs(model)
    specs = signatures.input_specs(model)
    unknown = sorted(set(image_inputs) - {spec.name for spec in specs})
    if unknown:
        raise ValueError(
            f"Image inputs {unknown} are not inputs of the graph; its inputs are "
            f"{[spec.name for spec in specs]}."
        )
    decoders = [_decoder(spec) if spec.name in image_inputs else None for spec in specs]
    byte_specs = [
        tf.TensorSpec([None], tf.string, name=spec.name + BYTES_SUFFIX) if decoder else spec
        for spec, decoder in zip(specs, decoders)
    ]
    serve = signatures.serving_function(model)

    def serve_bytes(*tensors):
        decoded = [d(t) if d else t for d, t in zip(decoders, tensors)]
        return encode_outputs(serve(*decoded))

    return tf.function(serve_bytes, input_signature=byte_specs, autograph=False)


def image_functions(model, image_inputs=()):
    """`{signature_key: tf.function}`: `serving_png`; `serving_image_bytes` with image inputs."""
    functions = {PNG_SIGNATURE: png_function(model)}
    if image_inputs:
        functions[IMAGE_BYTES_SIGNATURE] = image_bytes_function(model, image_inputs)
    return functions
