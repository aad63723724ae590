"""MLP generator and discriminator of the original GAN.

Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661. The paper's maxout and dropout are left
out: dropout draws per-replica randomness, which would make N replicas differ from one device.
"""

import math

import keras


def build_mlp_generator(latent_dim, image_shape, units=(256, 512), name="generator"):
    """Noise `[B, latent_dim]` (input `noise`) to images `[B, H, W, C]` in [-1, 1] (output
    `images`)."""
    noise = keras.Input(shape=(latent_dim,), name="noise")
    x = noise
    for width in units:
        x = keras.layers.Dense(width, activation="relu")(x)
    # Output layers stay float32 under a mixed policy (Keras's advice): bfloat16 keeps 8 bits of
    # mantissa, too coarse for pixel values and for the logits the losses compare.
    x = keras.layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32")(x)
    images = keras.layers.Reshape(image_shape, name="images", dtype="float32")(x)
    return keras.Model(noise, images, name=name)


def build_mlp_discriminator(image_shape, units=(512, 256), name="discriminator"):
    """Images `[B, H, W, C]` (input `images`) to one logit per image `[B, 1]` (output `logits`)."""
    images = keras.Input(shape=image_shape, name="images")
    x = keras.layers.Flatten()(images)
    for width in units:
        x = keras.layers.Dense(width)(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    logits = keras.layers.Dense(1, name="logits", dtype="float32")(x)
    return keras.Model(images, logits, name=name)
