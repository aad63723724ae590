"""Input specifications of an exported graph and the checks every runner applies to its inputs.

One checker serves the ONNX runner, the SavedModel and Keras backends of the sampler, so bad input
gets the same message whatever the format: it names the input, the expected dtype and shape, and
what was received. Inputs are never silently cast between float and integer or between float widths.
"""

import dataclasses

import numpy as np

# ONNX Runtime's type strings for the dtypes a generator graph takes.
_ORT_TYPES = {
    "tensor(float)": "float32",
    "tensor(double)": "float64",
    "tensor(float16)": "float16",
    "tensor(int32)": "int32",
    "tensor(int64)": "int64",
    "tensor(uint8)": "uint8",
}


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """One named input: dtype, shape with `None` for the batch axis, and class count for ids.

    Attributes:
        name: The input's name (`noise`, `labels`, ...).
        dtype: A numpy dtype name (`float32`, `int32`).
        shape: The shape, `None` where any size is accepted (always the batch axis).
        num_classes: For integer inputs of a conditional model, values lie in `[0, num_classes)`.
    """

    name: str
    dtype: str
    shape: tuple
    num_classes: int | None = None

    @property
    def is_integer(self):
        return np.issubdtype(np.dtype(self.dtype), np.integer)

    @property
    def shape_text(self):
        """E.g. `[batch, 64]`."""
        dims = ["batch" if i == 0 else ("?" if d is None else str(d)) for i, d in enumerate(self.shape)]
        return "[" + ", ".join(dims) + "]"

    def describe(self):
        """E.g. `noise: float32 [batch, 64]` or `labels: int32 [batch] in [0, 10)`."""
        text = f"{self.name}: {self.dtype} {self.shape_text}"
        if self.num_classes is not None and self.is_integer:
            text += f" in [0, {self.num_classes})"
        return text


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


def _expected(specs):
    return "; ".join(spec.describe() for spec in specs)


def check_inputs(specs, inputs):
    """Validates `inputs` against `specs` and returns them as numpy arrays of the spec dtypes.

    Args:
        specs: The graph's `InputSpec`s.
        inputs: A mapping `{input_name: array-like}`.

    Returns:
        `{name: np.ndarray}` in spec order. Integer inputs of any integer dtype are accepted and
        cast to the spec's integer dtype once their values are checked.

    Raises:
        ValueError: On a missing or unknown input name, a wrong dtype or shape, inputs of different
            batch sizes, or an integer input outside `[0, num_classes)`.
    """
    if not hasattr(inputs, "keys"):
        raise ValueError(
            f"Inputs must be a dict {{name: array}} with {_expected(specs)}; received "
            f"{type(inputs).__name__}."
        )
    names = [spec.name for spec in specs]
    missing = [name for name in names if name not in inputs]
    if missing:
        raise ValueError(
            f"Missing input {missing[0]!r}: the model expects {_expected(specs)}; received inputs "
            f"{sorted(inputs)}."
        )
    unknown = sorted(set(inputs) - set(names))
    if unknown:
        raise ValueError(
            f"Unknown input {unknown[0]!r}: the model expects {_expected(specs)}."
        )
    arrays = {spec.name: _check_one(spec, inputs[spec.name]) for spec in specs}
    batch_sizes = {name: array.shape[0] for name, array in arrays.items()}
    if len(set(batch_sizes.values())) > 1:
        raise ValueError(f"All inputs must have the same batch size; received {batch_sizes}.")
    return arrays


def _check_one(spec, value):
    array = np.asarray(value)
    expected = np.dtype(spec.dtype)
    if spec.is_integer:
        if not np.issubdtype(array.dtype, np.integer):
            raise ValueError(
                f"Input {spec.name!r} must hold integers ({spec.dtype} {spec.shape_text}); received "
                f"dtype {array.dtype}."
            )
    elif array.dtype != expected:
        raise ValueError(
            f"Input {spec.name!r} must be {spec.dtype} {spec.shape_text}; received dtype {array.dtype} "
            f"(convert with .astype(np.{expected}))."
        )
    if array.ndim != len(spec.shape) or any(
        want is not None and got != want for got, want in zip(array.shape, spec.shape)
    ):
        raise ValueError(
            f"Input {spec.name!r} must have shape {spec.shape_text}; received shape {array.shape}."
        )
    if array.shape[0] < 1:
        raise ValueError(f"Input {spec.name!r} needs at least one example; received shape {array.shape}.")
    if spec.is_integer:
        low, high = int(array.min()), int(array.max())
        limit = spec.num_classes if spec.num_classes is not None else int(np.iinfo(expected).max) + 1
        if low < 0 or high >= limit:
            what = "class ids" if spec.num_classes is not None else f"{spec.dtype} values"
            raise ValueError(
                f"Input {spec.name!r} must lie in [0, {limit}) ({what}); received min {low}, max {high}."
            )
    return array.astype(expected, copy=False)


def random_inputs(specs, batch_size, seed=0):
    """Random inputs for parity checks and benchmarks.

    Rank-2 float inputs (noise, embeddings) are standard normal, float images are uniform in
    [-1, 1], integer inputs are uniform over `[0, num_classes)` (all zero when the class count is
    unknown).
    """
    rng = np.random.default_rng(seed)
    arrays = {}
    for spec in specs:
        shape = (batch_size, *spec.shape[1:])
        if None in shape:
            raise ValueError(f"Cannot draw inputs for {spec.describe()}: a non-batch axis has no fixed size.")
        if spec.is_integer:
            arrays[spec.name] = rng.integers(0, spec.num_classes or 1, size=shape).astype(spec.dtype)
        elif len(shape) == 2:
            arrays[spec.name] = rng.standard_normal(shape).astype(spec.dtype)
        else:
            arrays[spec.name] = rng.uniform(-1.0, 1.0, shape).astype(spec.dtype)
    return arrays
