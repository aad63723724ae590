"""CGAN's two architectures (the paper's MLPs, the convolutional networks): shapes, the label
reaching both networks, the architecture kept through saving, bad input.

Fit, round trips, replicas, mixed precision, EMA and ONNX export of both: tests/test_every_model.py
(the `cgan` and `cgan-conv` tiny models).
"""

import keras
import numpy as np
import pytest

from keras_gans.models import CGAN
from keras_gans.models.cgan.model import ARCHITECTURES
from keras_gans.training import TrainConfig


@pytest.mark.parametrize("size, channels", [(16, 1), (32, 3)])
def test_conv_shapes(size, channels):
    model = CGAN.build((size, size, channels), latent_dim=8, architecture="conv", base_filters=4)
    images = model.sample(labels=[0, 3, 9])
    assert images.shape == (3, size, size, channels) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    logits = model.discriminator([images, np.array([0, 3, 9])])
    assert tuple(logits.shape) == (3, 1)
    layers = model.generator.layers + model.discriminator.layers
    strided = [
        (type(layer).__name__, layer.strides)
        for layer in layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose))
    ]
    # Two transposed convolutions up in G, two strided convolutions down in D.
    assert strided == [("Conv2DTranspose", (2, 2))] * 2 + [("Conv2D", (2, 2))] * 2


def test_conv_logit_is_the_dense_output_plus_the_label_projection():
    keras.utils.set_random_seed(0)
    model = CGAN.build((8, 8, 1), latent_dim=4, num_classes=3, architecture="conv", base_filters=4)
    discriminator = model.discriminator
    images = np.random.default_rng(0).uniform(-1, 1, (5, 8, 8, 1)).astype(np.float32)
    labels = np.array([0, 1, 2, 1, 0])
    layers = discriminator.layers
    flatten = next(layer for layer in layers if isinstance(layer, keras.layers.Flatten))
    features = np.asarray(keras.Model(discriminator.inputs, flatten.output)([images, labels]))
    dense = next(layer for layer in layers if isinstance(layer, keras.layers.Dense))
    # The projection's table is the Embedding as wide as the features (not the label plane's).
    (table,) = [
        layer.embeddings
        for layer in layers
        if isinstance(layer, keras.layers.Embedding) and layer.output_dim == features.shape[1]
    ]
    vectors = np.random.default_rng(1).normal(size=table.shape).astype(np.float32)
    table.assign(vectors)
    kernel, bias = (np.asarray(w) for w in dense.weights)
    unprojected = features @ kernel + bias
    expected = unprojected + np.sum(vectors[labels] * features, axis=1, keepdims=True)
    logits = np.asarray(discriminator([images, labels]))
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-6)
    # The label reaches the logit through the projection, not only through the image plane.
    assert np.abs(expected - unprojected).min() > 1e-3


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_only_the_label_changing_changes_both_networks(architecture):
    keras.utils.set_random_seed(0)
    model = CGAN.build((16, 16, 1), latent_dim=8, architecture=architecture)
    noise = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    labels, other = np.array([0, 1, 2, 3]), np.array([5, 6, 7, 8])
    images = model.sample(noise=noise, labels=labels)
    changed = np.abs(images - model.sample(noise=noise, labels=other)).max(axis=(1, 2, 3))
    assert changed.min() > 1e-2 * np.abs(images).max(), changed
    logits = [np.asarray(model.discriminator([images, y]))[:, 0] for y in (labels, other)]
    # Relative: the N(0, 0.02) conv weights make untrained logits small (about 1e-4).
    scale = np.abs(logits[0]).max()
    assert np.abs(logits[0] - logits[1]).min() > 1e-2 * scale, logits


def test_the_architecture_survives_config_and_keras_round_trips(tmp_path):
    model = CGAN.build((8, 8, 1), latent_dim=4, num_classes=3, architecture="conv", base_filters=4)
    assert CGAN.build((8, 8, 1), latent_dim=4, num_classes=3).architecture == "mlp"
    assert CGAN.from_config(model.get_config()).architecture == "conv"
    path = str(tmp_path / "conv.keras")
    model.save(path)
    assert keras.saving.load_model(path).architecture == "conv"


def test_the_conv_preset_trains_the_conv_networks():
    config = TrainConfig(preset="cgan_conv").resolved()
    assert (config.architecture, config.image_size, config.loss) == ("conv", 16, "hinge")
    model = CGAN.from_preset("cgan_conv", steps_per_epoch=1)
    assert model.architecture == "conv"
    assert CGAN.from_preset("cgan").architecture == "mlp"
    # Both architectures train with the one step of the GAN skeleton.
    assert type(model).train_step is type(CGAN.from_preset("cgan")).train_step


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"architecture": "resnet"},
            "CGAN architecture must be one of mlp, conv; received 'resnet'.",
        ),
        (
            {"architecture": "mlp", "base_filters": 8},
            "base_filters does not apply to CGAN's mlp architecture; received "
            "architecture='mlp' with base_filters=8.",
        ),
        (
            {"architecture": "conv", "generator_units": (8,)},
            "generator_units does not apply to CGAN's conv architecture; received "
            "architecture='conv' with generator_units=(8,).",
        ),
        (
            {"architecture": "conv", "image_shape": (18, 18, 1)},
            "CGAN's conv networks need an image height and width divisible by 4 (two stride-2 "
            "layers); received 18x18.",
        ),
    ],
)
def test_bad_architecture_settings(kwargs, message):
    with pytest.raises(ValueError) as error:
        CGAN.build(**{"latent_dim": 4, **kwargs})
    assert str(error.value) == message


def test_architecture_is_a_cgan_option():
    with pytest.raises(ValueError) as error:
        TrainConfig(model="dcgan", architecture="conv")
    assert str(error.value) == (
        "--architecture applies to cgan only; received --model=dcgan with --architecture='conv'."
    )
