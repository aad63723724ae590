"""Label-conditioned convolutional generator and discriminator (the lecture's convolutional CGAN).

The generator joins the noise with a label embedding, projects the pair to a map of a quarter of
the image's size and doubles it twice with transposed convolutions (DCGAN's BatchNorm, ReLU and
tanh output). The discriminator reads the label as one more image plane (`label_plane`), halves
the map twice with strided convolutions and LeakyReLU and ends in a fully connected logit, to
which a projection of the label adds its inner product with the features (Miyato & Koyama
2018). Weights are drawn from N(0, 0.02) as in DCGAN. BatchNorm after D's second convolution
(DCGAN's guideline) took the digits run from an FCD 15x the real baseline (D near chance, hinge
d_loss 1.8) to 7x (d_loss 0.3); the projection took the `cgan_conv` preset's held-out FCD ratio at
seeds 0-2 from 1.64x, 1.73x and 1.98x to 1.43x, 1.48x and 1.76x (quality_tuning.json, cc_proj).
"""

import keras

from keras_gans.models.cgan.networks import label_features, label_plane
from keras_gans.models.conv_blocks import batch_norm, image_output, up_block
from keras_gans.models.initializers import gan_normal

# Two stride-2 layers in each network: the generator starts from a map of a quarter of the size.
RESAMPLINGS = 2


def check_conv_image_shape(image_shape):
    """`(height, width, channels)`; height and width must be positive multiples of 4."""
    height, width, channels = (int(d) for d in image_shape)
    scale = 2**RESAMPLINGS
    if min(height, width) < scale or height % scale or width % scale:
        raise ValueError(
            f"CGAN's conv networks need an image height and width divisible by {scale} (two "
            f"stride-2 layers); received {height}x{width}."
        )
    return height, width, channels


def build_conv_conditional_generator(
    latent_dim, image_shape, num_classes, base_filters=64, name="generator"
):
    """`noise [B, latent_dim]` and `labels [B]` (int) to `images [B, H, W, C]` in [-1, 1].

    Args:
        latent_dim: Size of the noise.
        image_shape: `(H, W, C)`, H and W multiples of 4.
        num_classes: Number of classes.
        base_filters: Feature maps of the last transposed convolution before the output (the
            projected map has twice as many).
        name: The model's name.
    """
    height, width, channels = check_conv_image_shape(image_shape)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    x = keras.layers.Concatenate()([noise, label_features(labels, num_classes, latent_dim)])
    scale = 2**RESAMPLINGS
    size = (height // scale, width // scale, base_filters * 2)
    x = keras.layers.Dense(
        size[0] * size[1] * size[2], use_bias=False, kernel_initializer=gan_normal()
    )(x)
    x = keras.layers.Reshape(size)(x)
    x = keras.layers.ReLU()(batch_norm()(x))
    images = image_output(up_block(x, base_filters), channels)
    return keras.Model([noise, labels], images, name=name)


def build_conv_conditional_discriminator(
    image_shape, num_classes, base_filters=64, name="discriminator"
):
    """`images [B, H, W, C]` and `labels [B]` to one logit per pair `[B, 1]`.

    The label enters twice: as an image plane before the convolutions, and as the projection of
    Miyato & Koyama 2018 (https://arxiv.org/abs/1802.05637) after them, where the logit is the
    fully connected layer's output plus the inner product of the flattened features with a
    learned vector of the label.

    Args:
        image_shape: `(H, W, C)`, H and W multiples of 4.
        num_classes: Number of classes.
        base_filters: Feature maps of the first convolution (the second has twice as many).
        name: The model's name.
    """
    height, width, _ = check_conv_image_shape(image_shape)
    images = keras.Input(shape=(height, width, image_shape[2]), name="images")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    x = keras.layers.Concatenate()([images, label_plane(labels, num_classes, height, width)])
    for level in range(RESAMPLINGS):
        x = keras.layers.Conv2D(
            base_filters * 2**level, 4, strides=2, padding="same", kernel_initializer=gan_normal()
        )(x)
        if level > 0:  # DCGAN: no BatchNorm on D's input layer
            x = batch_norm()(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    features = keras.layers.Flatten(dtype="float32")(x)
    # Projection (Miyato & Koyama): the logit adds <embedding(label), features> to the dense one.
    embedded = keras.layers.Embedding(num_classes, features.shape[-1], dtype="float32")(labels)
    projected = keras.layers.Dot(axes=1, dtype="float32")([embedded, features])
    logits = keras.layers.Add(name="logits", dtype="float32")(
        [keras.layers.Dense(1, dtype="float32")(features), projected]
    )
    return keras.Model([images, labels], logits, name=name)
