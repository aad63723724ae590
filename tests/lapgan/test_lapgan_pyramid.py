"""Pyramid layers: resampling by hand, exact reconstruction, `.keras` round trips, bad sizes."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.layers import (
    GaussianDownsample2D,
    GaussianUpsample2D,
    LaplacianPyramid,
    LaplacianReconstruction,
)
from keras_gans.layers.pyramid import binomial_kernel, check_pyramid_size, symmetric_pad

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(-1, 1, (2, 32, 32, 3)).astype(np.float32)


def test_binomial_kernel_is_normalised_pascal_row():
    np.testing.assert_allclose(
        binomial_kernel(4)[0] * 8 / binomial_kernel(4)[0].sum(), [1, 3, 3, 1]
    )
    np.testing.assert_allclose(binomial_kernel(5).sum(), 1.0, rtol=1e-6)


def test_downsample_matches_hand_computation():
    # One row and column through the separable [1, 3, 3, 1] / 8 blur with edge-mirrored padding.
    row = np.array([0.0, 8.0, 16.0, 0.0], np.float32)
    image = np.outer(row, np.ones(4, np.float32))[None, :, :, None]  # constant along columns
    out = np.asarray(GaussianDownsample2D()(image))[0, :, 0, 0]
    padded = np.array([0.0, 0.0, 8.0, 16.0, 0.0, 0.0])
    expected = [np.dot(padded[0:4], [1, 3, 3, 1]) / 8, np.dot(padded[2:6], [1, 3, 3, 1]) / 8]
    assert expected == [5.0, 7.0]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_upsample_is_half_pixel_bilinear():
    coarse = IMAGES[:, :8, :8]
    expected = tf.image.resize(coarse, [16, 16], method="bilinear").numpy()
    np.testing.assert_allclose(np.asarray(GaussianUpsample2D()(coarse)), expected, atol=1e-6)


@pytest.mark.parametrize(
    "layer",
    [
        GaussianDownsample2D(2),
        GaussianDownsample2D(6),
        GaussianUpsample2D(1),
        GaussianUpsample2D(5),
    ],
)
def test_resamplers_keep_constants(layer):
    constant = np.full((1, 8, 8, 2), 0.25, np.float32)
    out = np.asarray(layer(constant))
    np.testing.assert_allclose(out, 0.25, atol=1e-6)


def test_symmetric_pad_mirrors_the_edge():
    image = np.tile(np.arange(3, dtype=np.float32)[:, None], (1, 3)).reshape(1, 3, 3, 1)
    padded = np.asarray(symmetric_pad(image, 2))
    assert padded.shape == (1, 7, 7, 1)
    assert padded[0, :, 0, 0].tolist() == [1, 0, 0, 1, 2, 2, 1]


@pytest.mark.parametrize("levels, taps", [(3, (4, 3)), (4, (2, 5)), (1, (4, 3))])
def test_pyramid_shapes_and_exact_reconstruction(levels, taps):
    pyramid = LaplacianPyramid(levels, *taps)(IMAGES)
    assert [tuple(p.shape) for p in pyramid] == [
        (2, 32 // 2 ** (levels - 1 - k), 32 // 2 ** (levels - 1 - k), 3) for k in range(levels)
    ]
    restored = np.asarray(LaplacianReconstruction(taps[1])(pyramid))
    np.testing.assert_allclose(restored, IMAGES, atol=1e-5, rtol=0)
    if levels > 1:
        # The finer levels are band-pass residuals: near zero mean, unlike the coarse image.
        assert abs(float(np.mean(pyramid[-1]))) < 0.05


def test_layers_survive_a_keras_round_trip(tmp_path):
    images = keras.Input(shape=(16, 16, 3), name="images")
    down = GaussianDownsample2D(6, name="down")(images)
    up = GaussianUpsample2D(5, name="up")(down)
    bands = LaplacianPyramid(2, downsample_taps=2, upsample_taps=1, name="pyramid")(images)
    rebuilt = LaplacianReconstruction(1, name="rebuilt")(bands)
    model = keras.Model(images, [up, rebuilt])
    path = str(tmp_path / "pyramid.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    assert restored.get_layer("down").taps == 6 and restored.get_layer("pyramid").levels == 2
    for got, expected in zip(restored(IMAGES[:, :16, :16]), model(IMAGES[:, :16, :16])):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))


@pytest.mark.parametrize(
    "height, width, levels, message",
    [
        (30, 32, 3, r"divisible by 2\*\*\(levels - 1\) = 4; received 30x32"),
        (
            16,
            16,
            4,
            r"4 levels leave a 2x2 coarsest image from 16x16; "
            r"expected at least 4x4 \(use at most 3 levels\)",
        ),
        (32, 32, 0, r"levels must be an integer >= 1; received 0"),
    ],
)
def test_bad_pyramid_sizes(height, width, levels, message):
    with pytest.raises(ValueError, match=message):
        check_pyramid_size(height, width, levels)


def test_coarsest_level_may_be_4x4():
    assert check_pyramid_size(32, 32, 4) == (4, 4)
    assert check_pyramid_size(64, 32, 4) == (8, 4)


def test_bad_layer_arguments_and_inputs():
    with pytest.raises(ValueError, match="taps must be an even integer >= 2; received 3"):
        GaussianDownsample2D(3)
    with pytest.raises(ValueError, match="taps must be an odd integer >= 1; received 4"):
        GaussianUpsample2D(4)
    with pytest.raises(ValueError, match="needs an even height and width; received 15x16"):
        GaussianDownsample2D()(np.zeros((1, 15, 16, 1), np.float32))
    with pytest.raises(ValueError, match=r"divisible by 2\*\*\(levels - 1\) = 4; received 18x18"):
        LaplacianPyramid(3)(np.zeros((1, 18, 18, 1), np.float32))
