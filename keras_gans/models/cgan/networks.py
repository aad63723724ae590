"""Label-conditioned MLP generator and discriminator.

Mirza & Osindero 2014, https://arxiv.org/abs/1411.1784: noise and label each get a hidden layer,
joined before the output. A label embedding stands in for one-hot times a dense layer (the same
function, cheaper); LeakyReLU replaces the paper's maxout.
"""

import math

import keras


def label_features(labels, num_classes, units, activation="linear"):
    """A learned `[B, units]` vector per class (one-hot times a dense layer), then `activation`."""
    x = keras.layers.Embedding(num_classes, units, name="label_embedding")(labels)
    return keras.layers.Activation(activation)(x)


def label_plane(labels, num_classes, height, width):
    """A learned `[B, H, W, 1]` map per class: a linear layer of the label reshaped to one plane,
    which convolutional networks read beside their image channels or feature maps."""
    plane = keras.layers.Embedding(num_classes, height * width)(labels)
    return keras.layers.Reshape((height, width, 1))(plane)


def build_conditional_generator(
    latent_dim, image_shape, num_classes, units=(256, 512), name="generator"
):
    """`noise [B, latent_dim]` and `labels [B]` (int) to `images [B, H, W, C]` in [-1, 1]."""
    noise = keras.Input(shape=(latent_dim,), name="noise")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    z = keras.layers.Dense(units[0], activation="relu")(noise)
    y = label_features(labels, num_classes, units[0], "relu")
    x = keras.layers.Concatenate()([z, y])
    for width in units[1:]:
        x = keras.layers.Dense(width, activation="relu")(x)
    # Output layers stay float32 under a mixed policy (Keras's advice): bfloat16 keeps 8 bits of
    # mantissa, too coarse for pixel values and for the logits the losses compare.
    x = keras.layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32")(x)
    images = keras.layers.Reshape(image_shape, name="images", dtype="float32")(x)
    return keras.Model([noise, labels], images, name=name)


def build_conditional_discriminator(
    image_shape, num_classes, units=(512, 256), name="discriminator"
):
    """`images [B, H, W, C]` and `labels [B]` to one logit per pair `[B, 1]`."""
    images = keras.Input(shape=image_shape, name="images")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    x = keras.layers.Dense(units[0])(keras.layers.Flatten()(images))
    x = keras.layers.LeakyReLU(0.2)(x)
    y = label_features(labels, num_classes, units[0] // 4, "linear")
    x = keras.layers.Concatenate()([x, y])
    for width in units[1:]:
        x = keras.layers.Dense(width)(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    logits = keras.layers.Dense(1, name="logits", dtype="float32")(x)
    return keras.Model([images, labels], logits, name=name)
