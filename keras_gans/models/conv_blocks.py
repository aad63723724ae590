"""Layers the convolutional networks of several models build alike (DCGAN, the conv CGAN)."""

import keras

from keras_gans.layers.fused_batch_norm import FusedBatchNormalization
from keras_gans.models.initializers import gan_normal


def batch_norm():
    """DCGAN's BatchNorm: gamma from N(1, 0.02), momentum 0.9, epsilon 1e-5.

    Synchronized, so that N replicas normalise with the global batch's statistics; fused under a
    mixed policy (`FusedBatchNormalization`).
    """
    return FusedBatchNormalization(
        synchronized=True, momentum=0.9, epsilon=1e-5, gamma_initializer=gan_normal(1.0)
    )


def up_block(x, filters):
    """A stride-2 4x4 transposed convolution (no bias: BatchNorm follows), BatchNorm and ReLU."""
    x = keras.layers.Conv2DTranspose(
        filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=gan_normal()
    )(x)
    return keras.layers.ReLU()(batch_norm()(x))


def image_output(x, channels):
    """The last stride-2 transposed convolution to `channels` and tanh, both in float32 under a
    mixed policy: the layer has few channels, so this costs little, while bfloat16's 8-bit
    mantissa is too coarse for pixels."""
    x = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", kernel_initializer=gan_normal(), dtype="float32"
    )(x)
    return keras.layers.Activation("tanh", name="images", dtype="float32")(x)
