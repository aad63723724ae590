"""Download-free fallback features: fixed by their seed; what their figures can and cannot tell."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import metrics
from keras_gans.metrics.folder_features import (
    feature_extractor,
    feature_set_metrics,
    folder_features,
)
from keras_gans.metrics.random_features import RandomConvFeatures


@pytest.fixture(scope="module")
def extractor():
    return RandomConvFeatures()


def _stripes(n, seed, size=32):
    """Random oriented sinusoidal stripes in random colours: a stationary texture."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[:size, :size]
    freq, angle, phase = (
        rng.uniform(low, high, (n, 1, 1)) for low, high in ((0.3, 0.8), (0, np.pi), (0, 6.3))
    )
    waves = np.sin(freq * (np.cos(angle) * x + np.sin(angle) * y) + phase)
    return (waves[..., None] * rng.uniform(0.3, 1.0, (n, 1, 1, 3))).astype(np.float32)


def _squares(n, seed, offset, size=32):
    """One 6 x 6 square of a random colour on black, at a random place in one quadrant."""
    rng = np.random.default_rng(seed)
    images = np.full((n, size, size, 3), -1.0, np.float32)
    for image in images:
        top, left = rng.integers(4, 8, 2) + offset
        image[top : top + 6, left : left + 6] = rng.uniform(0, 1, 3)
    return images


def test_same_seed_same_features_and_frozen_values(extractor):
    images = np.linspace(-1, 1, 2 * 16 * 16 * 3).reshape(2, 16, 16, 3)
    features = extractor(images)
    assert features.shape == (2, 112) and extractor.name == "random_conv_seed0_64px"
    np.testing.assert_array_equal(RandomConvFeatures(seed=0)(images), features)
    assert not np.allclose(RandomConvFeatures(seed=1)(images), features)
    # Seed 0's weights come from NumPy's frozen legacy stream: these values must not drift.
    expected = [
        [4.07636650e-02, 2.01675488e-04, 6.04544997e-01, 9.26718858e-05],
        [1.65090350e-05, 3.22158813e-01, 5.02335310e-01, 3.63066614e-01],
    ]
    np.testing.assert_allclose(features[:, [0, 20, 60, 111]], expected, rtol=1e-4, atol=1e-7)


def test_grey_uint8_and_batching_see_images_alike(extractor):
    grey = _stripes(5, 0)[..., :1]
    rgb = np.repeat(grey, 3, axis=-1)
    np.testing.assert_allclose(extractor(grey), extractor(rgb), rtol=1e-6)
    as_uint8 = np.round((rgb + 1.0) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(extractor(as_uint8), extractor(rgb))
    np.testing.assert_allclose(
        RandomConvFeatures(batch_size=2)(rgb), extractor(rgb), rtol=1e-5, atol=1e-7
    )


def test_figure_tells_blur_apart_from_a_second_real_draw(extractor):
    real = extractor(_stripes(200, 1))
    second_draw = _stripes(200, 2)
    blurred = tf.nn.depthwise_conv2d(
        second_draw, np.full((3, 3, 3, 1), 1 / 9, np.float32), [1] * 4, "SAME"
    )
    baseline = metrics.frechet_classifier_distance(real, extractor(second_draw))
    assert metrics.frechet_classifier_distance(real, extractor(blurred.numpy())) > 5 * baseline


def test_figure_is_blind_to_where_things_are(extractor):
    # The same squares moved from the top-left to the bottom-right quadrant: spatial means barely
    # move, so the figure stays near the same-quadrant baseline (a documented limit).
    top_left = extractor(_squares(200, 3, 0))
    baseline = metrics.frechet_classifier_distance(top_left, extractor(_squares(200, 4, 0)))
    moved = metrics.frechet_classifier_distance(top_left, extractor(_squares(200, 5, 16)))
    assert moved < 3 * baseline


def test_folder_features_default_to_the_fallback():
    features, name = folder_features(_stripes(3, 0))
    assert features.shape == (3, 112) and name == "random_conv_seed0_64px"
    assert isinstance(feature_extractor(), RandomConvFeatures)


def test_feature_set_metrics_on_one_pair(extractor):
    real, fake = extractor(_stripes(60, 1)), extractor(_stripes(60, 2))
    figures = feature_set_metrics(fake, real)
    assert set(figures) == {
        "frechet_distance",
        "kernel_distance",
        "kernel_distance_std",
        "precision",
        "recall",
    }
    assert figures["frechet_distance"] == pytest.approx(
        metrics.frechet_classifier_distance(fake, real)
    )
    assert 0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["recall"] <= 1.0


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match=r"size must be an integer in \[8, 4096\]; received 4"):
        RandomConvFeatures(size=4)
    with pytest.raises(ValueError, match=r"seed must be an integer"):
        RandomConvFeatures(seed=-1)
