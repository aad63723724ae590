"""Deep convolutional generator and discriminator following Radford et al.'s guidelines.

Radford et al. 2015, https://arxiv.org/abs/1511.06434: strided convolutions instead of pooling,
transposed convolutions in G, BatchNorm everywhere but G's output and D's input, ReLU and a tanh
output in G, LeakyReLU(0.2) in D, weights drawn from N(0, 0.02). The 64x64 layout is dcgan.torch's
(4x4 kernels, stride 2, widths ngf*8 -> ngf at 4x4 -> 32x32); 16 and 32 pixels drop the widest
layers.
"""

import math

import keras

from keras_gans.models.conv_blocks import batch_norm, image_output, up_block
from keras_gans.models.initializers import gan_normal


def num_resamplings(image_size):
    """How many stride-2 layers separate 4x4 from `image_size`; it must be a power of two >= 8."""
    if not isinstance(image_size, int) or image_size < 8 or image_size & (image_size - 1):
        raise ValueError(
            "DCGAN image_size must be a power of two >= 8 (16, 32, 64...); received "
            f"{image_size!r}."
        )
    return int(math.log2(image_size)) - 2


def build_dcgan_generator(
    image_size=64, channels=3, latent_dim=100, base_filters=64, name="generator"
):
    """`noise [B, latent_dim]` to `images [B, size, size, channels]` in [-1, 1]."""
    steps = num_resamplings(image_size)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    # The projection of z is a 4x4 transposed convolution of a 1x1 input: a matrix product.
    width = base_filters * 2 ** (steps - 1)
    x = keras.layers.Dense(4 * 4 * width, use_bias=False, kernel_initializer=gan_normal())(noise)
    x = keras.layers.Reshape((4, 4, width))(x)
    x = keras.layers.ReLU()(batch_norm()(x))
    for level in range(1, steps):
        x = up_block(x, base_filters * 2 ** (steps - 1 - level))
    images = image_output(x, channels)
    return keras.Model(noise, images, name=name)


def build_dcgan_discriminator(image_size=64, channels=3, base_filters=64, name="discriminator"):
    """`images [B, size, size, channels]` to one logit per image `[B, 1]`."""
    steps = num_resamplings(image_size)
    images = keras.Input(shape=(image_size, image_size, channels), name="images")
    x = images
    for level in range(steps):
        x = keras.layers.Conv2D(
            base_filters * 2**level,
            4,
            strides=2,
            padding="same",
            use_bias=level == 0,
            kernel_initializer=gan_normal(),
        )(x)
        if level > 0:  # no BatchNorm on D's input layer
            x = batch_norm()(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(
        1, 4, padding="valid", kernel_initializer=gan_normal(), dtype="float32"
    )(x)
    logits = keras.layers.Flatten(name="logits", dtype="float32")(x)
    return keras.Model(images, logits, name=name)
