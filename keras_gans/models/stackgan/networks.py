"""StackGAN's Stage-I and Stage-II generators and text-conditioned discriminators.

Zhang et al. 2017, https://arxiv.org/abs/1612.03242, section 3 and the supplementary layouts:

* Stage-I G: [z, c] -> FC to 4x4 -> upsample blocks (nearest x2, 3x3 conv, BN, ReLU) -> tanh.
* Stage-II G: the Stage-I image encoded down to a quarter of its size, the condition tiled and
  joined, residual blocks, upsample blocks to 4x the Stage-I size -> tanh.
* Both D: strided 4x4 convolutions down to 4x4; the text embedding compressed by an FC layer,
  tiled 4x4 and concatenated; a 1x1 convolution, then a 4x4 convolution to one logit.

Widths follow the paper with `base_filters` (the paper's gf/df: 128 and 64 at 64 -> 256 pixels);
the CPU preset shrinks only `base_filters`, the resolution and the number of residual blocks.
BatchNorm is synchronized, so replicas normalise with the global batch's statistics.
"""

import math

import keras

from keras_gans.layers.fused_batch_norm import FusedBatchNormalization
from keras_gans.layers.minibatch_std import MinibatchStandardDeviation
from keras_gans.layers.tanh_refinement import TanhRefinement
from keras_gans.models.initializers import gan_normal


def _check_size(name, size, minimum=8):
    if not isinstance(size, int) or size < minimum or size & (size - 1):
        raise ValueError(
            f"{name} must be a power of two >= {minimum} (16, 32, 64...); received {size!r}."
        )
    return int(math.log2(size))


def _batch_norm():
    return FusedBatchNormalization(synchronized=True, momentum=0.9, epsilon=1e-5)


def _conv(filters, kernel, strides=1, use_bias=False, dtype=None):
    return keras.layers.Conv2D(
        filters,
        kernel,
        strides=strides,
        padding="same",
        use_bias=use_bias,
        kernel_initializer=gan_normal(),
        dtype=dtype,
    )


def _to_images(x, channels):
    """The last 3x3 convolution and the tanh, in float32 under a mixed policy.

    The output layers have few channels, so float32 costs little, while bfloat16's 8-bit
    mantissa is too coarse for pixels (and for the logits, likewise kept float32).
    """
    x = _conv(channels, 3, use_bias=True, dtype="float32")(x)
    return keras.layers.Activation("tanh", name="images", dtype="float32")(x)


def _upsample(x, filters):
    # Nearest-neighbour upsampling then a 3x3 convolution: no checkerboard of transposed convs.
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    return keras.layers.ReLU()(_batch_norm()(_conv(filters, 3)(x)))


def _residual(x, filters):
    y = keras.layers.ReLU()(_batch_norm()(_conv(filters, 3)(x)))
    y = _batch_norm()(_conv(filters, 3)(y))
    return keras.layers.ReLU()(keras.layers.Add()([x, y]))


def _tile(vector, size):
    """`[B, D]` to `[B, size, size, D]` (upsampling a 1x1 map repeats it: ONNX-friendly)."""
    x = keras.layers.Reshape((1, 1, vector.shape[-1]))(vector)
    return keras.layers.UpSampling2D(size, interpolation="nearest")(x)


def _width(base_filters, factor):
    return max(1, int(base_filters * factor))


def build_stage1_generator(
    latent_dim, condition_dim, image_size=64, channels=3, base_filters=128, name="stage1_generator"
):
    """`noise [B, latent_dim]` and `condition [B, condition_dim]` to `images [B, size, size, C]`."""
    steps = _check_size("Stage-I image_size", image_size) - 2
    noise = keras.Input(shape=(latent_dim,), name="noise")
    condition = keras.Input(shape=(condition_dim,), name="condition")
    x = keras.layers.Concatenate()([noise, condition])
    width = _width(base_filters, 2 ** (steps - 1))  # gf*8 at 4x4 for 64 pixels
    x = keras.layers.Dense(4 * 4 * width, use_bias=False, kernel_initializer=gan_normal())(x)
    x = keras.layers.ReLU()(_batch_norm()(x))
    x = keras.layers.Reshape((4, 4, width))(x)
    for level in range(1, steps + 1):
        x = _upsample(x, _width(width, 0.5**level))
    images = _to_images(x, channels)
    return keras.Model([noise, condition], images, name=name)


def _text_conditioned_logits(x, text_embedding, compressed_dim, width):
    """The paper's D head: image code at 4x4 joined with the tiled, compressed text embedding."""
    # No bias: the BatchNorm after the joint 1x1 convolution cancels a constant shift (its
    # gradient is rounding noise, which Adam would turn into full-size steps).
    text = keras.layers.Dense(compressed_dim, use_bias=False, kernel_initializer=gan_normal())(
        text_embedding
    )
    text = _tile(keras.layers.LeakyReLU(0.2)(text), 4)
    x = keras.layers.Concatenate()([x, text])
    x = keras.layers.LeakyReLU(0.2)(_batch_norm()(_conv(width, 1)(x)))
    x = keras.layers.Conv2D(
        1, 4, padding="valid", kernel_initializer=gan_normal(), dtype="float32"
    )(x)
    return keras.layers.Flatten(name="logits", dtype="float32")(x)


def build_text_discriminator(
    image_size,
    channels,
    embedding_dim,
    base_filters=64,
    compressed_dim=128,
    minibatch_std=None,
    name="discriminator",
):
    """`images [B, size, size, C]` and `text_embedding [B, E]` to one logit per pair `[B, 1]`.

    Stride-2 4x4 convolutions (widths df, 2df, 4df, ...; no BatchNorm on the first) reduce the
    image to 4x4 for both stages; Stage II's deeper input only adds downsamplings.
    `minibatch_std` (a group size; None in the paper) appends ProGAN's minibatch standard
    deviation to the 4x4 code (`keras_gans.layers.MinibatchStandardDeviation`).
    """
    steps = _check_size("discriminator image_size", image_size) - 2
    images = keras.Input(shape=(image_size, image_size, channels), name="images")
    text_embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    x = images
    for level in range(steps):
        x = keras.layers.Conv2D(
            _width(base_filters, 2**level),
            4,
            strides=2,
            padding="same",
            use_bias=level == 0,
            kernel_initializer=gan_normal(),
        )(x)
        if level > 0:
            x = _batch_norm()(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    if minibatch_std:
        x = MinibatchStandardDeviation(minibatch_std)(x)
    logits = _text_conditioned_logits(
        x, text_embedding, compressed_dim, _width(base_filters, 2 ** (steps - 1))
    )
    return keras.Model([images, text_embedding], logits, name=name)


def build_stage2_generator(
    low_res_size,
    channels,
    condition_dim,
    base_filters=128,
    residual_blocks=4,
    upscale=4,
    refine=False,
    name="stage2_generator",
):
    """`low_res_images [B, s, s, C]` and `condition` to `images [B, upscale*s, upscale*s, C]`.

    The Stage-I image is encoded to s/4 (64 -> 16 in the paper; s/2 below 32 pixels) with
    widths gf, 2gf(, 4gf); the condition is tiled and joined; residual blocks at 4gf; upsample
    blocks halve the width. With `refine` (not in the paper) the last convolution's output
    corrects the bilinearly upsampled Stage-I image in tanh's input space (`TanhRefinement`)
    instead of being the image, so Stage II starts from Stage I's image rather than from noise.
    """
    _check_size("Stage-I image_size", low_res_size)
    if upscale not in (2, 4, 8):
        raise ValueError(f"upscale must be 2, 4 or 8; received {upscale!r}.")
    low_res = keras.Input(shape=(low_res_size, low_res_size, channels), name="low_res_images")
    condition = keras.Input(shape=(condition_dim,), name="condition")
    # Two stride-2 convolutions (64 -> 16 in the paper); one below 32 pixels, so that a small
    # Stage-I image keeps a layout (8x8) for the residual blocks to refine.
    downsamplings = 2 if low_res_size >= 32 else 1
    x = keras.layers.ReLU()(_conv(base_filters, 3, use_bias=True)(low_res))
    for level in range(1, downsamplings + 1):
        x = _conv(_width(base_filters, 2**level), 4, strides=2)(x)
        x = keras.layers.ReLU()(_batch_norm()(x))
    width = _width(base_filters, 4)
    x = keras.layers.Concatenate()([x, _tile(condition, low_res_size // 2**downsamplings)])
    x = keras.layers.ReLU()(_batch_norm()(_conv(width, 3)(x)))
    for _ in range(residual_blocks):
        x = _residual(x, width)
    for level in range(1, int(math.log2(upscale)) + downsamplings + 1):
        x = _upsample(x, _width(width, 0.5**level))
    if not refine:
        return keras.Model([low_res, condition], _to_images(x, channels), name=name)
    residual = _conv(channels, 3, use_bias=True, dtype="float32")(x)
    upsampled = keras.layers.UpSampling2D(upscale, interpolation="bilinear", dtype="float32")(
        low_res
    )
    images = TanhRefinement(name="images", dtype="float32")([upsampled, residual])
    return keras.Model([low_res, condition], images, name=name)
