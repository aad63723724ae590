"""CycleGAN networks: shapes at 32 and 64 pixels, the paper's layer choices, reflection padding."""

import keras
import numpy as np
import pytest

from keras_gans.layers import ReflectionPadding2D
from keras_gans.models.cyclegan import build_patch_discriminator, build_resnet_generator
from keras_gans.models.cyclegan.networks import patch_output_size


@pytest.mark.parametrize("size, blocks, patches", [(32, 6, 2), (64, 9, 6)])
def test_shapes(size, blocks, patches):
    generator = build_resnet_generator(size, 3, base_filters=4, num_blocks=blocks)
    discriminator = build_patch_discriminator(size, 3, base_filters=4)
    images = np.random.default_rng(0).uniform(-1, 1, (2, size, size, 3)).astype(np.float32)
    translated = generator(images)
    assert translated.shape == (2, size, size, 3)
    assert np.abs(translated).max() <= 1.0
    assert discriminator(images).shape == (2, patches, patches, 1)
    assert patch_output_size(size) == patches and patch_output_size(256) == 30  # the paper's 30x30
    blocks_found = [layer for layer in generator.layers if isinstance(layer, keras.layers.Add)]
    assert len(blocks_found) == blocks
    assert generator.inputs[0].name == "image_a" and generator.output_names == ["images"]


def test_paper_layer_choices():
    generator = build_resnet_generator(32, 1, base_filters=8, num_blocks=6)
    norms = [
        layer for layer in generator.layers if isinstance(layer, keras.layers.GroupNormalization)
    ]
    # Instance norm: one group per channel (groups=-1 becomes the channel count when built).
    assert norms and all(layer.groups == layer.gamma.shape[0] for layer in norms)
    assert isinstance(generator.layers[1], ReflectionPadding2D) and generator.layers[1].padding == (
        3,
        3,
    )
    assert generator.layers[-1].activation.__name__ == "tanh"
    # d128, d256 after c7s1-64: widths 2x and 4x ngf at the bottleneck.
    widths = [layer.filters for layer in generator.layers if isinstance(layer, keras.layers.Conv2D)]
    assert widths[:3] == [8, 16, 32] and max(widths) == 32

    discriminator = build_patch_discriminator(64, 3, base_filters=64)
    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [layer.filters for layer in convs] == [64, 128, 256, 512, 1]  # C64-C128-C256-C512
    assert all(layer.kernel_size == (4, 4) for layer in convs)
    assert [layer.strides for layer in convs] == [(2, 2)] * 3 + [(1, 1)] * 2
    # No norm on the first layer: conv -> LeakyReLU(0.2) directly.
    after_first = discriminator.layers[discriminator.layers.index(convs[0]) + 1]
    assert isinstance(
        after_first, keras.layers.LeakyReLU
    ) and after_first.negative_slope == pytest.approx(0.2)
    assert (
        sum(isinstance(layer, keras.layers.GroupNormalization) for layer in discriminator.layers)
        == 3
    )


def test_reflection_padding_matches_numpy_and_round_trips():
    images = np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3)
    layer = ReflectionPadding2D((2, 1))
    expected = np.pad(images, [(0, 0), (2, 2), (1, 1), (0, 0)], mode="reflect")
    np.testing.assert_array_equal(np.asarray(layer(images)), expected)
    assert layer.compute_output_shape((None, 4, 5, 3)) == (None, 8, 7, 3)
    clone = ReflectionPadding2D.from_config(layer.get_config())
    assert clone.padding == (2, 1)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(restored, ReflectionPadding2D) and restored.padding == (2, 1)


def test_bad_sizes_and_padding():
    with pytest.raises(ValueError, match=r"multiple of 4 and at least 8 .* received 30"):
        build_resnet_generator(30, 1)
    with pytest.raises(
        ValueError, match="PatchGAN image_size must be at least 24 for num_layers=3; received 16"
    ):
        build_patch_discriminator(16, 1)
    with pytest.raises(ValueError, match="num_blocks must be a positive integer; received 0"):
        build_resnet_generator(32, 1, num_blocks=0)
    with pytest.raises(
        ValueError,
        match=r"padding must be a non-negative int or a pair of them; received \(-1, -1\)",
    ):
        ReflectionPadding2D(-1)
    with pytest.raises(
        ValueError, match="Reflection padding 3 needs an input height above 3; received 3"
    ):
        ReflectionPadding2D(3)(np.zeros((1, 3, 8, 1), np.float32))
