"""The serving function of an inference graph: named inputs in, `{output_name: images}` out.

SavedModel and ONNX are both traced from this one `tf.function`, so the two formats share input
names, dtypes, the dynamic batch axis and the optional uint8 conversion by construction.
"""

import keras
import tensorflow as tf

# Names Keras invents for unnamed tensors; exporting them would make the serving API meaningless.
_GENERATED_PREFIXES = ("keras_tensor", "input_layer", "Identity")


def _check_name(kind, name):
    if not name or name.startswith(_GENERATED_PREFIXES):
        raise ValueError(
            f"Every {kind} of an exported graph needs a real name (e.g. keras.Input(name='noise'), "
            f"an output layer named 'images'); received {kind} name {name!r}."
        )
    return name


def input_specs(model):
    """The named `tf.TensorSpec`s of `model`'s inputs, with a dynamic batch axis.

    Args:
        model: A functional `keras.Model` whose inputs were made with `keras.Input(name=...)`.

    Returns:
        A list of `tf.TensorSpec`, one per input, in `model.inputs` order.

    Raises:
        ValueError: If an input has a generated name such as `keras_tensor_3`.
    """
    specs = []
    for tensor in model.inputs:
        name = _check_name("input", tensor.name)
        specs.append(tf.TensorSpec([None, *tensor.shape[1:]], tf.as_dtype(tensor.dtype), name=name))
    return specs


def output_names(model):
    """The names of `model`'s outputs (the names of the layers that produce them)."""
    names = [_check_name("output", name) for name in model.output_names]
    if len(set(names)) != len(names):
        raise ValueError(f"Output names must be distinct; received {names}.")
    return names


def to_uint8(images):
    """Maps float images in [-1, 1] to uint8 in [0, 255] (rounded, clipped)."""
    scaled = tf.round((tf.cast(images, tf.float32) + 1.0) * 127.5)
    return tf.cast(tf.clip_by_value(scaled, 0.0, 255.0), tf.uint8)


def serving_function(model, uint8=False):
    """A `tf.function` with `model`'s named input signature returning `{output_name: tensor}`.

    Args:
        model: A functional `keras.Model` with named inputs and outputs.
        uint8: Return images as uint8 in [0, 255] instead of float32 in [-1, 1].

    Returns:
        A `tf.function` whose `input_signature` is `input_specs(model)`.
    """
    if not isinstance(model, keras.Model):
        raise ValueError(f"Expected a keras.Model; received {type(model).__name__}.")
    specs = input_specs(model)
    names = output_names(model)

    def serve(*tensors):
        outputs = model(tensors[0] if len(tensors) == 1 else list(tensors), training=False)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        if uint8:
            outputs = [to_uint8(x) for x in outputs]
        return dict(zip(names, outputs))

    return tf.function(serve, input_signature=specs, autograph=False)
