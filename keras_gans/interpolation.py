"""Walking the latent space (Radford et al. 2015, Section 6): spherical interpolation of noise.

`interpolation_inputs` turns two seeds into the inputs of a `rows x steps` walk: row r goes from
row r of the noise `seed` draws to row r of the noise `end_seed` draws, along the great circle
(`slerp`), with its other inputs (class labels) fixed. The inputs are fed to a generator's own
`generate`, so the first column is `generate(num_images=rows, seed=seed)` and the last
`generate(num_images=rows, seed=end_seed)`, from a training model or any export.
`interpolation_frames` lays the images out as one grid and as the frames of an animation.

numpy only (besides `keras_gans.images`), like `keras_gans.inference`.
"""

import numpy as np

from keras_gans import images as images_lib
from keras_gans import inference


def slerp(start, end, t):
    """Spherical interpolation between vectors, with the norm interpolated linearly.

    The direction moves along the great circle from `start` to `end` at constant angular speed
    and the norm goes linearly from `|start|` to `|end|`; for vectors of equal norm (as Gaussian
    noise of a high dimension nearly is) this is White's slerp
    (https://arxiv.org/abs/1609.04468). Parallel vectors fall back to linear interpolation.

    Args:
        start: `[D]` vector (or `[..., D]`, one interpolation per leading index).
        end: Same shape as `start`.
        t: Scalar or `[T]` fractions; 0 gives `start` exactly, 1 gives `end` exactly.

    Returns:
        `[..., D]` for a scalar `t`, else `[..., T, D]`, in the dtype of `start`.
    """
    start, end = np.asarray(start), np.asarray(end)
    if start.shape != end.shape or start.ndim < 1:
        raise ValueError(
            f"slerp needs two vectors of one shape; received {start.shape} and {end.shape}."
        )
    scalar = np.ndim(t) == 0
    t = np.atleast_1d(np.asarray(t, np.float64))
    a, b = start.astype(np.float64), end.astype(np.float64)
    norm_a = np.linalg.norm(a, axis=-1, keepdims=True)[..., None, :]
    norm_b = np.linalg.norm(b, axis=-1, keepdims=True)[..., None, :]
    unit_a = a[..., None, :] / np.maximum(norm_a, 1e-12)
    unit_b = b[..., None, :] / np.maximum(norm_b, 1e-12)
    cos = np.clip(np.sum(unit_a * unit_b, axis=-1, keepdims=True), -1.0, 1.0)
    omega = np.arccos(cos)
    sin = np.sin(omega)
    steps = t[:, None]
    parallel = sin < 1e-6
    safe = np.where(parallel, 1.0, sin)
    weight_a = np.where(parallel, 1.0 - steps, np.sin((1.0 - steps) * omega) / safe)
    weight_b = np.where(parallel, steps, np.sin(steps * omega) / safe)
    direction = weight_a * unit_a + weight_b * unit_b
    length = np.linalg.norm(direction, axis=-1, keepdims=True)
    norm = (1.0 - steps) * norm_a + steps * norm_b
    out = direction / np.maximum(length, 1e-12) * norm
    # Exact endpoints: the walk starts and ends on the seeds' own samples, bit for bit.
    out = np.where((t == 0.0)[:, None], a[..., None, :], out)
    out = np.where((t == 1.0)[:, None], b[..., None, :], out)
    out = out.astype(start.dtype)
    return out[..., 0, :] if scalar else out


def check_steps(steps):
    """`steps` as an int >= 2 (a walk needs both ends), or a ValueError naming it."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(
            f"An interpolation needs at least 2 steps (both ends); received {steps!r}."
        )
    return int(steps)


def interpolation_inputs(
    input_specs, rows, steps, seed=0, end_seed=None, fixed=None, model_name="the model"
):
    """The inputs of `rows` walks of `steps` images each, in row order (row r, step k at
    `r * steps + k`).

    Args:
        input_specs: The generator's `InputSpec`s (`keras_gans.inference`).
        rows: Number of walks.
        steps: Images per walk, both ends included (>= 2).
        seed: Seed of the walks' starts, drawn as `generate(num_images=rows, seed=seed)` draws.
        end_seed: Seed of their ends; default `seed + 1`.
        fixed: `{input_name: [rows, ...]}` held fixed along each row (labels, text embeddings);
            class labels left out are `r mod num_classes` for row r, as `generate` defaults them.
        model_name: How error messages name the model.

    Returns:
        `{name: np.ndarray [rows * steps, ...]}` for `generate(inputs)`.

    Raises:
        ValueError: If `steps < 2`, `rows < 1`, a seed is bad, or the graph has no noise input.
    """
    steps = check_steps(steps)
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1:
        raise ValueError(f"rows must be a positive integer; received {rows!r}.")
    seed = inference.check_seed(seed)
    end_seed = seed + 1 if end_seed is None else inference.check_seed(end_seed)
    noise_specs = [spec for spec in input_specs if spec.is_noise]
    if not noise_specs:
        expected = "; ".join(spec.describe() for spec in input_specs)
        raise ValueError(f"{model_name} has no noise input to interpolate: it takes {expected}.")
    t = np.linspace(0.0, 1.0, steps)
    inputs = {}
    for spec in noise_specs:
        start = inference.draw_noise(spec, rows, seed).reshape(rows, -1)
        end = inference.draw_noise(spec, rows, end_seed).reshape(rows, -1)
        walk = slerp(start, end, t)  # [rows, steps, D]
        inputs[spec.name] = walk.reshape(rows * steps, *spec.shape[1:])
    fixed = inference.as_input_dict(fixed, input_specs)
    for spec in input_specs:
        if spec.name in fixed:
            value = np.asarray(fixed[spec.name])
            if value.ndim < 1 or value.shape[0] != rows:
                raise ValueError(
                    f"Input {spec.name!r} must give one value per row ({rows}); received shape "
                    f"{value.shape}."
                )
            inputs[spec.name] = np.repeat(value, steps, axis=0)
        elif spec.is_integer and spec.num_classes is not None:
            labels = np.arange(rows) % spec.num_classes
            inputs[spec.name] = np.repeat(labels, steps).astype(spec.dtype)
    return inputs


def interpolation_frames(images, rows, steps, padding=0):
    """The `rows x steps` grid of a walk's images, and one frame per step.

    Args:
        images: `[rows * steps, H, W, C]` images in row order, float in [-1, 1] or uint8.
        rows: Number of walks.
        steps: Images per walk.
        padding: Pixels between images.

    Returns:
        `(grid, frames)`: the uint8 grid (row r is walk r) and a `[steps, h, w, C]` uint8 array
        whose frame k tiles every walk's step k (near-square, in row order).
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[0] != rows * steps:
        raise ValueError(
            f"images must have shape [rows * steps = {rows * steps}, H, W, C]; received shape "
            f"{images.shape}."
        )
    grid = images_lib.make_grid(images, rows=rows, padding=padding)
    walks = images.reshape(rows, steps, *images.shape[1:])
    frames = np.stack([images_lib.make_grid(walks[:, k], padding=padding) for k in range(steps)])
    return grid, frames
