"""The level networks of a LAPGAN (Denton et al. 2015, https://arxiv.org/abs/1506.05751).

Coarsest level: the paper's fully connected GAN (G 2x1200 ReLU units, D 2x600), the vanilla GAN's
or the CGAN's MLPs. Finer levels, as in the paper's CIFAR-10 models: G is a 3-layer convnet that
reads the upsampled coarse image l_k with the noise z_k as an extra colour plane and predicts the
band-pass residual h_k (linear output); D is a 2-layer convnet (then a linear logit) that judges a
residual given l_k. Class conditioning passes the label through a linear map (an embedding) whose
output is reshaped into one plane and concatenated with the first layer's maps. The paper's
dropout in D is left out: it draws per-replica randomness.
"""

import keras

from keras_gans.models.cgan.networks import (
    build_conditional_discriminator,
    build_conditional_generator,
    label_plane,
)
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator


def build_coarse_generator(
    latent_dim, image_shape, num_classes=None, units=(1200, 1200), name="generator_0"
):
    """Level 0: `noise [B, latent_dim]` (and `labels [B]`) to `images [B, h, w, C]` in [-1, 1]."""
    if num_classes is None:
        return build_mlp_generator(latent_dim, image_shape, units=units, name=name)
    return build_conditional_generator(latent_dim, image_shape, num_classes, units=units, name=name)


def build_coarse_discriminator(
    image_shape, num_classes=None, units=(600, 600), name="discriminator_0"
):
    """Level 0: `images` (and `labels`) to one logit per image `[B, 1]`."""
    if num_classes is None:
        return build_mlp_discriminator(image_shape, units=units, name=name)
    return build_conditional_discriminator(image_shape, num_classes, units=units, name=name)


def build_residual_generator(
    image_shape, num_classes=None, filters=128, kernel_size=5, name="generator"
):
    """A finer level's G: `[noise [B, H, W, 1], coarse [B, H, W, C], labels [B]?]` to `residual`.

    `coarse` is the upsampled coarser image l_k; the output is the band-pass residual h_k, linear
    (residuals are signed and small), so that the level's image is l_k + residual.
    """
    height, width, channels = image_shape
    noise = keras.Input(shape=(height, width, 1), name="noise")
    coarse = keras.Input(shape=image_shape, name="coarse")
    inputs = [noise, coarse]
    x = keras.layers.Concatenate()([coarse, noise])  # noise as a 4th colour plane
    x = keras.layers.Conv2D(filters, kernel_size, padding="same", activation="relu")(x)
    if num_classes is not None:
        labels = keras.Input(shape=(), dtype="int32", name="labels")
        inputs.append(labels)
        x = keras.layers.Concatenate()([x, label_plane(labels, num_classes, height, width)])
    x = keras.layers.Conv2D(filters, kernel_size, padding="same", activation="relu")(x)
    # Zero-initialised, so every level starts as the plain upsample of the coarser image and
    # learns detail from there instead of first unlearning random texture. Named per network:
    # weight paths must stay distinct across levels (EMA matches by path). Float32 under a mixed
    # policy: a residual is a difference of pixels, too fine for bfloat16's 8-bit mantissa.
    residual = keras.layers.Conv2D(
        channels,
        kernel_size,
        padding="same",
        kernel_initializer="zeros",
        name=f"{name}_residual",
        dtype="float32",
    )(x)
    return keras.Model(inputs, residual, name=name)


def build_residual_discriminator(
    image_shape, num_classes=None, filters=128, kernel_size=5, name="discriminator"
):
    """A finer level's D: `[residual, coarse, labels?]` (each `[B, H, W, C]`) to a logit `[B,
    1]`."""
    height, width, _ = image_shape
    residual = keras.Input(shape=image_shape, name="residual")
    coarse = keras.Input(shape=image_shape, name="coarse")
    inputs = [residual, coarse]
    x = keras.layers.Concatenate()([residual, coarse])
    x = keras.layers.Conv2D(filters, kernel_size, padding="same")(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    if num_classes is not None:
        labels = keras.Input(shape=(), dtype="int32", name="labels")
        inputs.append(labels)
        x = keras.layers.Concatenate()([x, label_plane(labels, num_classes, height, width)])
    x = keras.layers.Conv2D(filters, kernel_size, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    logits = keras.layers.Dense(1, name=f"{name}_logits", dtype="float32")(
        keras.layers.Flatten()(x)
    )
    return keras.Model(inputs, logits, name=name)


def build_level_networks(
    level_shapes,
    latent_dim=100,
    num_classes=None,
    coarse_units=(1200, 1200),
    coarse_discriminator_units=(600, 600),
    filters=128,
    kernel_size=5,
):
    """`(generators, discriminators)` of every level, coarse to fine, named `generator_k` etc.

    Args:
        level_shapes: `(H, W, C)` of each level, coarse to fine, each twice the previous.
        latent_dim: Noise size of the coarsest level (finer levels take one noise plane).
        num_classes: Class count for class-conditional levels; None for unconditional.
        coarse_units: Hidden widths of the coarsest generator.
        coarse_discriminator_units: Hidden widths of the coarsest discriminator.
        filters: Feature maps of the finer levels' convolutions.
        kernel_size: Kernel size of the finer levels' convolutions.
    """
    generators = [build_coarse_generator(latent_dim, level_shapes[0], num_classes, coarse_units)]
    discriminators = [
        build_coarse_discriminator(level_shapes[0], num_classes, coarse_discriminator_units)
    ]
    for level, shape in enumerate(level_shapes[1:], start=1):
        generators.append(
            build_residual_generator(
                shape, num_classes, filters, kernel_size, name=f"generator_{level}"
            )
        )
        discriminators.append(
            build_residual_discriminator(
                shape, num_classes, filters, kernel_size, name=f"discriminator_{level}"
            )
        )
    return generators, discriminators
