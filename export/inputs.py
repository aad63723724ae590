"""Input specifications of exported graphs (TensorFlow and ONNX Runtime views) and random inputs.

`InputSpec` and `check_inputs` live in `keras_gans.inference`, shared with the training models'
`generate`, so bad input gets the same message from a training model and from any export.
"""

import numpy as np

from keras_gans.inference import InputSpec, check_inputs  # noqa: F401 (this module's API)

# ONNX Runtime's type strings for the dtypes a generator graph takes.
_ORT_TYPES = {
    "tensor(float)": "float32",
    "tensor(double)": "float64",
    "tensor(float16)": "float16",
    "tensor(int32)": "int32",
    "tensor(int64)": "int64",
    "tensor(uint8)": "uint8",
}


def specs_from_tensor_specs(tensor_specs, num_classes=None):
    """`InputSpec`s from `tf.TensorSpec`s (a Keras model or a SavedModel signature)."""
    return [
        InputSpec(
            name=spec.name,
            dtype=spec.dtype.name,
            shape=(None, *spec.shape[1:]),
            num_classes=num_classes,
        )
        for spec in tensor_specs
    ]


def specs_from_onnx(session_inputs, num_classes=None):
    """`InputSpec`s from `onnxruntime.InferenceSession.get_inputs()`."""
    specs = []
    for node in session_inputs:
        if node.type not in _ORT_TYPES:
            raise ValueError(f"Unsupported ONNX input type {node.type} for input {node.name!r}.")
        # Symbolic dims come back as strings ('batch'); only integer dims are fixed.
        shape = tuple(d if isinstance(d, int) and i > 0 else None for i, d in enumerate(node.shape))
        specs.append(InputSpec(node.name, _ORT_TYPES[node.type], shape, num_classes))
    return specs


def random_inputs(specs, batch_size, seed=0, shapes=None):
    """Random inputs for parity checks and benchmarks.

    Rank-2 float inputs (noise, embeddings) are standard normal, float images are uniform in
    [-1, 1], integer inputs are uniform over `[0, num_classes)` (all zero when the class count is
    unknown). `shapes` (`{input_name: shape without the batch axis}`) sizes inputs whose spec
    leaves axes open, such as CycleGAN's images of any height and width.
    """
    rng = np.random.default_rng(seed)
    arrays = {}
    for spec in specs:
        shape = (batch_size, *(shapes or {}).get(spec.name, spec.shape[1:]))
        if None in shape:
            raise ValueError(
                f"Cannot draw inputs for {spec.describe()}: a non-batch axis has no fixed size."
            )
        if spec.is_integer:
            arrays[spec.name] = rng.integers(0, spec.num_classes or 1, size=shape).astype(
                spec.dtype
            )
        elif len(shape) == 2:
            arrays[spec.name] = rng.standard_normal(shape).astype(spec.dtype)
        else:
            arrays[spec.name] = rng.uniform(-1.0, 1.0, shape).astype(spec.dtype)
    return arrays
