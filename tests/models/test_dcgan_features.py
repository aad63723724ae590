"""`DCGAN.discriminator_features`: the paper's Section 5.1 feature extractor."""

import re

import keras
import numpy as np
import pytest

from keras_gans.models.dcgan import DCGAN
from keras_gans.models.dcgan.features import adaptive_max_pool


@pytest.fixture(scope="module")
def dcgan():
    # 32x32, base_filters 4: hidden convs of 4 filters at 16x16, 8 at 8x8 and 16 at 4x4 (after a
    # BatchNorm), then the 1x1 logit conv.
    return DCGAN.build(image_shape=(32, 32, 1), latent_dim=8, base_filters=4)


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).uniform(-1, 1, (5, 32, 32, 1)).astype(np.float32)


def test_one_4x4_grid_per_hidden_conv_filter(dcgan, images):
    features = dcgan.discriminator_features(images)
    assert features.shape == (5, 16 * 4 + 16 * 8 + 16 * 16)  # 448
    assert features.dtype == np.float32
    assert dcgan.discriminator_features(images, pool_size=2).shape == (5, 4 * (4 + 8 + 16))


def test_features_are_the_max_of_each_conv_map_cell(dcgan, images):
    convs = [x for x in dcgan.discriminator.layers if isinstance(x, keras.layers.Conv2D)]
    first = keras.Model(dcgan.discriminator.input, convs[0].output)
    maps = np.asarray(first(images, training=False))  # [5, 16, 16, 4]: 4x4 cells
    expected = maps.reshape(5, 4, 4, 4, 4, 4).max(axis=(2, 4)).reshape(5, -1)
    np.testing.assert_allclose(dcgan.discriminator_features(images)[:, :64], expected, atol=1e-6)


def test_deterministic_and_independent_of_the_batch(dcgan, images):
    features = dcgan.discriminator_features(images)
    np.testing.assert_array_equal(features, dcgan.discriminator_features(images))
    np.testing.assert_allclose(
        dcgan.discriminator_features(images, batch_size=2), features, atol=1e-6, rtol=0
    )


def test_wrong_image_shape_names_it(dcgan):
    message = (
        "images must have shape [N, 32, 32, 1] (the discriminator's input); received shape "
        "(2, 16, 16, 1)."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        dcgan.discriminator_features(np.zeros((2, 16, 16, 1), np.float32))


def test_pool_larger_than_a_map_names_both(dcgan, images):
    message = "Cannot max-pool a 4x4 feature map to 5x5; use a pool_size of at most 4."
    with pytest.raises(ValueError, match=re.escape(message)):
        dcgan.discriminator_features(images, pool_size=5)


def test_adaptive_bins_when_the_grid_does_not_divide_the_map():
    maps = np.arange(36, dtype=np.float32).reshape(1, 6, 6, 1)
    pooled = adaptive_max_pool(maps, 4)[0, ..., 0]
    # Bins of 6 into 4: rows/cols [0, 2), [1, 3), [3, 5), [4, 6); the max is the bottom-right.
    ends = np.array([1, 2, 4, 5])
    np.testing.assert_array_equal(pooled, ends[:, None] * 6 + ends[None, :])


def test_the_feature_model_is_not_a_layer_of_the_model(images, tmp_path):
    dcgan = DCGAN.build(image_shape=(32, 32, 1), latent_dim=8, base_filters=4)
    layers = [layer.name for layer in dcgan.layers]
    dcgan.discriminator_features(images)
    assert [layer.name for layer in dcgan.layers] == layers
    dcgan.save(tmp_path / "dcgan.keras")
    reloaded = keras.saving.load_model(tmp_path / "dcgan.keras")
    assert len(reloaded.weights) == len(dcgan.weights)
    np.testing.assert_array_equal(
        reloaded.discriminator_features(images), dcgan.discriminator_features(images)
    )
