"""GAN, CGAN and DCGAN: shapes, the DCGAN guidelines, logged losses, bad input.

Fit, round trips, replicas, mixed precision, EMA and export: tests/test_every_model.py.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import registry
from keras_gans.data import dataset_from_arrays
from keras_gans.models import CGAN, DCGAN, GAN


def test_logged_losses_are_global_means(two_replica_strategy):
    tiny = registry.get_spec("dcgan").tiny_models[0]
    build, data = tiny.build, tiny.dataset()
    logs = []
    for strategy in (tf.distribute.get_strategy(), two_replica_strategy):
        with strategy.scope():
            keras.utils.set_random_seed(3)
            model = build()
            model.compile()
        logs.append(model.fit(data, epochs=1, steps_per_epoch=1, verbose=0).history)
    for name in ("d_loss", "g_loss"):
        assert logs[0][name][0] == pytest.approx(logs[1][name][0], rel=1e-5)


def test_dcgan_batchnorm_is_synchronized():
    model = DCGAN.build((32, 32, 3), latent_dim=16, base_filters=8)
    norms = [
        layer
        for net in (model.generator, model.discriminator)
        for layer in net.layers
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert norms and all(layer.synchronized for layer in norms)


@pytest.mark.parametrize("size", [16, 32, 64])
def test_dcgan_shapes_and_guidelines(size):
    model = DCGAN.build((size, size, 3), latent_dim=100, base_filters=8)
    noise = np.zeros((2, 100), np.float32)
    assert model.generator(noise).shape == (2, size, size, 3)
    assert model.discriminator(np.zeros((2, size, size, 3), np.float32)).shape == (2, 1)
    d_layers = model.discriminator.layers
    # No BatchNorm right after D's input convolution; none after G's output layer.
    assert isinstance(d_layers[1], keras.layers.Conv2D) and isinstance(
        d_layers[2], keras.layers.LeakyReLU
    )
    assert d_layers[2].negative_slope == pytest.approx(0.2)
    g_layers = model.generator.layers
    assert g_layers[-1].activation.__name__ == "tanh"
    # From the tanh back to G's last transposed convolution: no BatchNorm (nor anything else).
    tail, layer = [], g_layers[-1]
    while not isinstance(layer, keras.layers.Conv2DTranspose):
        layer = layer.input._keras_history.operation
        tail.append(layer)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in tail), tail
    assert not any(
        isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D))
        for layer in g_layers + d_layers
    )
    # Strided convolutions resample: log2(size / 4) of them in each network, transposed in G.
    for layers, kind in [(d_layers, keras.layers.Conv2D), (g_layers, keras.layers.Conv2DTranspose)]:
        strided = [layer for layer in layers if isinstance(layer, kind) and layer.strides == (2, 2)]
        assert len(strided) == int(np.log2(size // 4)), (kind.__name__, len(strided))
    kernel = model.discriminator.layers[1].kernel.numpy()
    assert abs(kernel.std() - 0.02) < 0.005


@pytest.mark.parametrize("name, shape", [("gan", (16, 16, 1)), ("cgan", (8, 8, 1))])
def test_mlp_shapes(name, shape):
    if name == "gan":
        model = GAN.build(shape, latent_dim=5)
        out = model.sample(4)
    else:
        model = CGAN.build(shape, latent_dim=5, num_classes=3)
        out = model.sample(labels=[0, 1, 2, 2])
    assert out.shape == (4,) + shape
    assert out.min() >= -1 and out.max() <= 1


def test_cgan_samples_requested_labels_and_is_deterministic():
    model = CGAN.build((8, 8, 1), latent_dim=4, num_classes=3)
    first = model.sample(labels=[2, 0], seed=5)
    np.testing.assert_array_equal(first, model.sample(labels=[2, 0], seed=5))
    images, columns = model.preview(seed=1, per_class=2)
    assert images.shape == (6, 8, 8, 1) and columns == 2


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((8, 16, 16), np.float32), r"rank 4 \[batch, 16, 16, 1\]; received rank 3"),
        (np.zeros((8, 8, 8, 1), np.float32), r"must be 16x16 for this model; received 8x8"),
        (
            np.zeros((8, 16, 16, 3), np.float32),
            r"must have 1 channel\(s\) for this model; received 3",
        ),
    ],
)
def test_bad_images_name_expected_and_received(images, message):
    model = GAN.build((16, 16, 1), latent_dim=4)
    model.compile()
    with pytest.raises(ValueError, match=message):
        model.fit(tf.data.Dataset.from_tensor_slices(images).batch(4), epochs=1, verbose=0)


def test_bad_labels():
    model = CGAN.build((8, 8, 1), latent_dim=4, num_classes=10)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\); received min 3, max 12"):
        model.sample(labels=[3, 12])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\); received min -1, max 2"):
        dataset_from_arrays(np.zeros((4, 8, 8, 1)), [0, 1, 2, -1], num_classes=10, batch_size=2)
    model.compile()
    with pytest.raises(ValueError, match="CGAN needs labels"):
        model.fit(np.zeros((4, 8, 8, 1), np.float32), epochs=1, batch_size=2, verbose=0)


def test_bad_noise():
    model = GAN.build((8, 8, 1), latent_dim=4)
    with pytest.raises(ValueError, match=r"noise must have shape \[batch, 4\]; received \(2, 5\)"):
        model.sample(noise=np.zeros((2, 5)))


def test_bad_dcgan_size():
    with pytest.raises(ValueError, match="power of two >= 8 .* received 24"):
        DCGAN.build((24, 24, 1))


def test_global_batch_must_split_over_replicas():
    with pytest.raises(ValueError, match="global batch 10 cannot be split evenly over 4 replicas"):
        dataset_from_arrays(np.zeros((20, 8, 8, 1)), batch_size=10, num_replicas=4)
