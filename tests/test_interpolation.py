"""Latent walks: `slerp`, the walk's inputs and its grid and frames (numpy only)."""

import re

import numpy as np
import pytest

from keras_gans import inference
from keras_gans.interpolation import interpolation_frames, interpolation_inputs, slerp

NOISE = inference.InputSpec("noise", "float32", (None, 16))
LABELS = inference.InputSpec("labels", "int32", (None,), num_classes=3)


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    return rng.standard_normal(16), 3.0 * rng.standard_normal(16)


def angle(u, v):
    return np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v), -1, 1))


def test_endpoints_are_the_inputs_exactly(pair):
    a, b = (v.astype(np.float32) for v in pair)
    walk = slerp(a, b, np.linspace(0, 1, 5))
    assert walk.shape == (5, 16) and walk.dtype == np.float32
    np.testing.assert_array_equal(walk[0], a)
    np.testing.assert_array_equal(walk[-1], b)
    np.testing.assert_array_equal(slerp(a, b, 0.0), a)
    # In float64 too, where rescaling a unit vector by its norm would miss the last bit.
    walk = slerp(*pair, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(walk[0], pair[0])
    np.testing.assert_array_equal(walk[-1], pair[1])


def test_norm_is_linear_and_the_angle_moves_at_constant_speed(pair):
    a, b = pair
    t = np.linspace(0, 1, 7)
    walk = slerp(a, b, t)
    np.testing.assert_allclose(
        np.linalg.norm(walk, axis=1),
        (1 - t) * np.linalg.norm(a) + t * np.linalg.norm(b),
        rtol=1e-12,
    )
    omega = angle(a, b)
    np.testing.assert_allclose([angle(a, w) for w in walk[1:]], t[1:] * omega, atol=1e-9)
    np.testing.assert_allclose([angle(w, b) for w in walk[:-1]], (1 - t[:-1]) * omega, atol=1e-9)


def test_equal_norms_give_whites_slerp(pair):
    a, b = pair[0], pair[1] / np.linalg.norm(pair[1]) * np.linalg.norm(pair[0])
    omega, t = angle(a, b), 0.3
    white = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    np.testing.assert_allclose(slerp(a, b, t), white, rtol=1e-12)


def test_parallel_vectors_interpolate_linearly():
    a = np.array([1.0, 2.0, 2.0])
    np.testing.assert_allclose(slerp(a, 3 * a, 0.5), 2 * a)


def test_one_walk_per_leading_row(pair):
    a, b = np.stack([pair[0], pair[1]]), np.stack([pair[1], pair[0]])
    walk = slerp(a, b, np.linspace(0, 1, 4))
    assert walk.shape == (2, 4, 16)
    np.testing.assert_allclose(walk[1], slerp(pair[1], pair[0], np.linspace(0, 1, 4)))


def test_walk_inputs_start_and_end_on_the_seeds_draws():
    inputs = interpolation_inputs([NOISE, LABELS], rows=4, steps=5, seed=7)
    noise = inputs["noise"].reshape(4, 5, 16)
    np.testing.assert_array_equal(noise[:, 0], inference.draw_noise(NOISE, 4, 7))
    np.testing.assert_array_equal(noise[:, -1], inference.draw_noise(NOISE, 4, 8))
    # Row r keeps class r mod 3 all along, as `generate` labels image r by default.
    np.testing.assert_array_equal(
        inputs["labels"].reshape(4, 5), [[0] * 5, [1] * 5, [2] * 5, [0] * 5]
    )
    fixed = interpolation_inputs([NOISE, LABELS], 2, 3, fixed={"labels": [2, 1]})
    np.testing.assert_array_equal(fixed["labels"], [2, 2, 2, 1, 1, 1])


@pytest.mark.parametrize("steps", [1, 0, -3])
def test_fewer_than_two_steps_is_refused(steps):
    message = f"An interpolation needs at least 2 steps (both ends); received {steps}."
    with pytest.raises(ValueError, match=re.escape(message)):
        interpolation_inputs([NOISE], rows=2, steps=steps)


def test_a_graph_without_noise_is_named():
    image = inference.InputSpec("image_a", "float32", (None, 8, 8, 1))
    message = (
        "CycleGAN has no noise input to interpolate: it takes image_a: float32 [batch, 8, 8, 1]."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        interpolation_inputs([image], rows=2, steps=3, model_name="CycleGAN")


def test_grid_rows_are_walks_and_frames_are_steps():
    rows, steps = 3, 4
    # Image (r, k) is uniformly 10 * r + k, so every cell says where it came from.
    values = (10 * np.arange(rows)[:, None] + np.arange(steps)[None, :]).reshape(-1)
    images = np.broadcast_to(values[:, None, None, None], (rows * steps, 2, 2, 1)).astype(np.uint8)
    grid, frames = interpolation_frames(images, rows, steps)
    assert grid.shape == (rows * 2, steps * 2, 1)
    np.testing.assert_array_equal(grid[::2, ::2, 0], values.reshape(rows, steps))
    assert frames.shape == (steps, 4, 4, 1)  # 3 images per frame, near-square: 2 x 2
    np.testing.assert_array_equal(frames[2, ::2, ::2, 0], [[2, 12], [22, 0]])
