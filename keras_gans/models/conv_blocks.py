"""Layers the convolutional networks of several models build alike (DCGAN, the conv CGAN)."""

import keras

from keras_gans.layers.fused_batch_norm import FusedBatchNormalization
from keras_gans.layers.spectral_norm import SpectralConv2D, SpectralDense
from keras_gans.models.initializers import gan_normal

# How a discriminator is normalised: DCGAN's BatchNorm, or spectral normalisation of every layer
# and no BatchNorm (SN-GAN, Miyato et al. 2018, https://arxiv.org/abs/1802.05957).
NORMALIZATIONS = ("batch", "spectral")


def check_normalization(normalization):
    """`normalization` if it is one of `NORMALIZATIONS`."""
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"discriminator normalization must be one of {NORMALIZATIONS}; received "
            f"{normalization!r}."
        )
    return normalization


def discriminator_conv(normalization):
    """The `Conv2D` class of a discriminator normalised by `normalization`."""
    spectral = check_normalization(normalization) == "spectral"
    return SpectralConv2D if spectral else keras.layers.Conv2D


def discriminator_dense(normalization):
    """The `Dense` class of a discriminator normalised by `normalization`."""
    spectral = check_normalization(normalization) == "spectral"
    return SpectralDense if spectral else keras.layers.Dense


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
