"""One inference call for training models and exported generators: `generate(inputs, ...)`.

Every inference graph takes named inputs (`noise`, `noise_<k>`, `labels`, `text_embedding`,
`captions`, `image_a`, `coarse_images`...). `generate` is driven by those names alone: the caller
gives some inputs, noise inputs left out are drawn from `seed` (keyed by their name, so a training
model and its export draw the same noise), label inputs left out cycle through the classes, and
any other missing input is a ValueError naming it. One checker serves the training models, the
ONNX runner and the SavedModel and Keras backends of the sampler, so bad input gets the same
message whatever the format: it names the input, the expected dtype and shape, and what was
received. Inputs are never silently cast between float and integer or between float widths.

numpy only: the ONNX runner uses this module on machines without TensorFlow.
"""

import dataclasses
import zlib

import numpy as np

#: Examples per forward pass of `generate`: bounds memory for large batches at any resolution.
DEFAULT_BATCH_SIZE = 256


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
        return not self.is_string and np.issubdtype(np.dtype(self.dtype), np.integer)

    @property
    def is_string(self):
        return self.dtype == "string"

    @property
    def is_noise(self):
        """Float inputs named `noise` or `noise_<k>`: `generate` draws them when left out."""
        floating = not self.is_string and np.issubdtype(np.dtype(self.dtype), np.floating)
        return floating and (self.name == "noise" or self.name.startswith("noise_"))

    @property
    def shape_text(self):
        """E.g. `[batch, 64]`."""
        dims = [
            "batch" if i == 0 else ("?" if d is None else str(d)) for i, d in enumerate(self.shape)
        ]
        return "[" + ", ".join(dims) + "]"

    def describe(self):
        """E.g. `noise: float32 [batch, 64]` or `labels: int32 [batch] in [0, 10)`."""
        text = f"{self.name}: {self.dtype} {self.shape_text}"
        if self.num_classes is not None and self.is_integer:
            text += f" in [0, {self.num_classes})"
        return text


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
        raise ValueError(f"Unknown input {unknown[0]!r}: the model expects {_expected(specs)}.")
    arrays = {spec.name: _check_one(spec, inputs[spec.name]) for spec in specs}
    batch_sizes = {name: array.shape[0] for name, array in arrays.items()}
    if len(set(batch_sizes.values())) > 1:
        raise ValueError(f"All inputs must have the same batch size; received {batch_sizes}.")
    return arrays


def _check_one(spec, value):
    array = np.asarray(value)
    if spec.is_string:
        return _check_strings(spec, array)
    expected = np.dtype(spec.dtype)
    if spec.is_integer:
        if not np.issubdtype(array.dtype, np.integer):
            raise ValueError(
                f"Input {spec.name!r} must hold integers ({spec.dtype} {spec.shape_text}); "
                f"received dtype {array.dtype}."
            )
    elif array.dtype != expected:
        raise ValueError(
            f"Input {spec.name!r} must be {spec.dtype} {spec.shape_text}; received dtype "
            f"{array.dtype} (convert with .astype(np.{expected}))."
        )
    if array.ndim != len(spec.shape) or any(
        want is not None and got != want for got, want in zip(array.shape, spec.shape)
    ):
        raise ValueError(
            f"Input {spec.name!r} must have shape {spec.shape_text}; received shape {array.shape}."
        )
    if array.shape[0] < 1:
        raise ValueError(
            f"Input {spec.name!r} needs at least one example; received shape {array.shape}."
        )
    if spec.is_integer:
        low, high = int(array.min()), int(array.max())
        limit = (
            spec.num_classes if spec.num_classes is not None else int(np.iinfo(expected).max) + 1
        )
        if low < 0 or high >= limit:
            what = "class ids" if spec.num_classes is not None else f"{spec.dtype} values"
            raise ValueError(
                f"Input {spec.name!r} must lie in [0, {limit}) ({what}); received min {low}, max "
                f"{high}."
            )
    return array.astype(expected, copy=False)


def _check_strings(spec, array):
    texts = array.dtype.kind in "US" or (
        array.dtype == object and all(isinstance(v, (str, bytes)) for v in array.ravel())
    )
    if not texts:
        raise ValueError(
            f"Input {spec.name!r} must hold strings {spec.shape_text}; received dtype "
            f"{array.dtype}."
        )
    if array.ndim != len(spec.shape) or array.shape[0] < 1:
        raise ValueError(
            f"Input {spec.name!r} must have shape {spec.shape_text} (at least one); received shape "
            f"{array.shape}."
        )
    return np.array(
        [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in array.ravel()]
    ).reshape(array.shape)


def keras_input_specs(model, num_classes=None):
    """`InputSpec`s of a functional Keras model's named inputs, in `model.inputs` order."""
    return [
        InputSpec(
            name=tensor.name,
            dtype=str(getattr(tensor.dtype, "name", tensor.dtype)),
            shape=(None, *(None if d is None else int(d) for d in tensor.shape[1:])),
            num_classes=num_classes,
        )
        for tensor in model.inputs
    ]


def check_seed(seed):
    """Returns `seed` as an int, or raises: seeds are non-negative integers."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; received {seed!r}.")
    return int(seed)


def draw_noise(spec, num_images, seed=0, truncation=None):
    """Standard normal `[num_images, *spec.shape[1:]]` noise for one input, fixed by `seed`.

    Keyed by the input's name, so each noise input has its own stream and the draws do not
    depend on the order of the inputs (Keras and SavedModel order them differently).

    Args:
        spec: The noise input's `InputSpec`.
        num_images: Batch size.
        seed: Seed of the draw.
        truncation: None, or psi > 0: values with `|z| > psi` are redrawn until inside
            (`truncated_normal`).
    """
    rng = np.random.default_rng([check_seed(seed), zlib.crc32(spec.name.encode("utf-8"))])
    shape = (num_images, *spec.shape[1:])
    if truncation is None:
        return rng.standard_normal(shape).astype(spec.dtype)
    return truncated_normal(rng, shape, truncation).astype(spec.dtype)


def check_truncation(psi):
    """`psi` as a float > 0, or a ValueError naming it."""
    if (
        isinstance(psi, bool)
        or not isinstance(psi, (int, float, np.integer, np.floating))
        or not psi > 0
        or not np.isfinite(psi)
    ):
        raise ValueError(
            f"truncation must be a positive number (the largest |z| kept); received {psi!r}."
        )
    return float(psi)


def truncated_normal(rng, shape, psi):
    """Standard normal values with every `|z| > psi` redrawn until inside: the truncation trick
    (Brock et al. 2018, https://arxiv.org/abs/1809.11096, Section 3.1).

    Smaller `psi` trades variety for typical, cleaner samples. Resampling keeps the normal's
    shape inside `[-psi, psi]` (no mass piles up at the bounds, as clipping would), and the draws
    depend only on `rng`'s state.

    Example:
        >>> z = truncated_normal(np.random.default_rng(0), (1000,), 0.5)
        >>> bool(np.abs(z).max() <= 0.5)
        True
    """
    psi = check_truncation(psi)
    values = rng.standard_normal(shape)
    outside = np.abs(values) > psi
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > psi
    return values


def check_num_images(num_images):
    if (
        isinstance(num_images, bool)
        or not isinstance(num_images, (int, np.integer))
        or num_images < 1
    ):
        raise ValueError(f"num_images must be a positive integer; received {num_images!r}.")
    return int(num_images)


def as_input_dict(inputs, specs=None):
    """`inputs` as a new dict (`{}` for None); a ValueError for anything but a mapping."""
    if inputs is None:
        return {}
    if not hasattr(inputs, "keys"):
        expected = f" with {_expected(specs)}" if specs else ""
        raise ValueError(
            f"Inputs must be a dict {{name: array}}{expected}; received {type(inputs).__name__}."
        )
    return dict(inputs)


def _check_names(specs, inputs):
    inputs = as_input_dict(inputs, specs)
    unknown = sorted(set(inputs) - {spec.name for spec in specs})
    if unknown:
        raise ValueError(f"Unknown input {unknown[0]!r}: the model expects {_expected(specs)}.")
    return inputs


def complete_inputs(specs, inputs=None, num_images=None, seed=0):
    """The full, checked input dict of a graph: `inputs` plus drawn noise and default labels.

    Args:
        specs: The graph's `InputSpec`s.
        inputs: `{input_name: array}` the caller fixes, or None.
        num_images: Batch size; needed when no input fixes it, else it must agree with them.
        seed: Seed of the noise inputs left out (see `draw_noise`).

    Returns:
        `{name: np.ndarray}` in spec order.

    Raises:
        ValueError: On an unknown name, a bad value (see `check_inputs`), a batch size that
            disagrees with `num_images`, or a missing input that is neither noise nor labels.
    """
    given = _check_names(specs, inputs)
    by_name = {spec.name: spec for spec in specs}
    arrays = {name: _check_one(by_name[name], value) for name, value in given.items()}
    sizes = {name: array.shape[0] for name, array in arrays.items()}
    if len(set(sizes.values())) > 1:
        raise ValueError(f"All inputs must have the same batch size; received {sizes}.")
    if num_images is not None:
        num_images = check_num_images(num_images)
        if sizes and num_images not in sizes.values():
            raise ValueError(
                f"num_images is {num_images} but the inputs hold {sizes}; pass one or the other."
            )
    elif sizes:
        num_images = next(iter(sizes.values()))
    else:
        raise ValueError(
            f"Pass num_images or inputs that fix the batch; the model expects {_expected(specs)}."
        )
    seed = check_seed(seed)
    for spec in specs:
        if spec.name in arrays:
            continue
        if spec.is_noise:
            arrays[spec.name] = draw_noise(spec, num_images, seed)
        elif spec.is_integer and spec.num_classes is not None:
            arrays[spec.name] = (np.arange(num_images) % spec.num_classes).astype(spec.dtype)
        else:
            raise ValueError(
                f"Missing input {spec.name!r}: only noise and class labels are drawn; the model "
                f"expects {_expected(specs)}; received inputs {sorted(given)}."
            )
    return {spec.name: arrays[spec.name] for spec in specs}


def takes(specs, names):
    """Whether a graph with `specs` takes every input in `names` and can draw the rest."""
    by_name = {spec.name: spec for spec in specs}
    if not set(names) <= set(by_name):
        return False
    return all(
        spec.is_noise or (spec.is_integer and spec.num_classes is not None)
        for name, spec in by_name.items()
        if name not in names
    )


def run_in_batches(run, arrays, batch_size=DEFAULT_BATCH_SIZE):
    """Runs `run({name: array}) -> {output: array}` on slices of `batch_size`; joins the outputs."""
    batch_size = check_num_images(batch_size) if batch_size is not None else None
    total = next(iter(arrays.values())).shape[0] if arrays else 0
    step = batch_size or max(total, 1)
    parts = [
        run({name: array[start : start + step] for name, array in arrays.items()})
        for start in range(0, total, step)
    ]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


class GeneratesFromInputs:
    """`generate` for an exported generator: anything with `input_specs` and `run(inputs)`."""

    def generate(self, inputs=None, num_images=None, seed=0, batch_size=DEFAULT_BATCH_SIZE):
        """Runs the graph on `inputs`, drawing the noise left out from `seed`.

        The same call as a training model's `generate` (see `AdversarialModel.generate`): the same
        seed draws the same noise, so an export reproduces its training model's images.

        Args:
            inputs: `{input_name: array}`, e.g. `{"labels": [7, 7]}`; None to draw everything.
            num_images: Batch size when no input fixes it.
            seed: Seed of the noise inputs left out.
            batch_size: Examples per forward pass.

        Returns:
            `{output_name: np.ndarray}`, e.g. `{"images": [N, H, W, C]}`.
        """
        arrays = complete_inputs(self.input_specs, inputs, num_images, seed)
        return run_in_batches(self.run, arrays, batch_size)
