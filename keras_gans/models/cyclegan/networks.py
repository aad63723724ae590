"""CycleGAN's ResNet generator and 70x70 PatchGAN discriminator.

Zhu et al. 2017, https://arxiv.org/abs/1703.10593, appendix 7.2 (layouts of Johnson et al. 2016
and Isola et al. 2017). Instance normalisation is Keras 3's `GroupNormalization` with one group
per channel (`groups=-1`); weights are drawn from N(0, 0.02) as in the reference code.
"""

import keras

from keras_gans.layers import CropLike, PadToMultiple, ReflectionPadding2D
from keras_gans.models.initializers import gan_normal

# Two stride-2 convolutions in, two transposed ones out.
GENERATOR_RESAMPLINGS = 2
# The smallest side `any_size_generator` takes: padded to 8, whose 2x2 bottleneck the residual
# blocks' 1-pixel reflection can still pad (reflection needs a pad below the side).
MIN_ANY_SIZE = 2**GENERATOR_RESAMPLINGS + 1


def instance_norm():
    """Instance normalisation: per example and per channel, the same in training and inference."""
    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5)


def _conv(filters, kernel_size, strides=1, use_bias=False, padding="valid", dtype=None):
    return keras.layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        use_bias=use_bias,
        kernel_initializer=gan_normal(),
        dtype=dtype,
    )


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_generator_size(image_size):
    step = 2**GENERATOR_RESAMPLINGS
    if not _is_int(image_size) or image_size < 2 * step or image_size % step:
        raise ValueError(
            f"CycleGAN generator image_size must be a multiple of {step} and at least {2 * step} "
            f"(e.g. 32, 64, 128, 256); received {image_size!r}."
        )


def _residual_block(x, filters):
    """R<filters>: two reflection-padded 3x3 convolutions with instance norm, plus the input."""
    y = ReflectionPadding2D(1)(x)
    y = keras.layers.ReLU()(instance_norm()(_conv(filters, 3)(y)))
    y = ReflectionPadding2D(1)(y)
    y = instance_norm()(_conv(filters, 3)(y))
    return keras.layers.Add()([x, y])


def build_resnet_generator(
    image_size=256,
    channels=3,
    base_filters=64,
    num_blocks=9,
    input_name="image_a",
    name="generator_ab",
):
    """c7s1-64, d128, d256, R256 x `num_blocks`, u128, u64, c7s1-`channels` with a tanh output.

    The paper uses 9 blocks at 256x256 and 6 at 128x128; `base_filters` is ngf (64 in the paper).

    Args:
        image_size: Square input size; a multiple of 4, at least 8.
        channels: Image channels of both domains.
        base_filters: Width of the first convolution; the blocks have 4x as many.
        num_blocks: Residual blocks at the bottleneck.
        input_name: Name of the graph input (`image_a` for A->B, `image_b` for B->A).
        name: Model name.

    Returns:
        A `keras.Model` mapping `[B, size, size, channels]` in [-1, 1] to an output layer
        named `images` of the same shape, in [-1, 1].
    """
    _check_generator_size(image_size)
    if not _is_int(num_blocks) or num_blocks < 1:
        raise ValueError(f"num_blocks must be a positive integer; received {num_blocks!r}.")
    inputs = keras.Input(shape=(image_size, image_size, channels), name=input_name)
    x = ReflectionPadding2D(3)(inputs)
    x = keras.layers.ReLU()(instance_norm()(_conv(base_filters, 7)(x)))
    filters = base_filters
    for _ in range(GENERATOR_RESAMPLINGS):
        filters *= 2
        x = _conv(filters, 3, strides=2, padding="same")(x)
        x = keras.layers.ReLU()(instance_norm()(x))
    for _ in range(num_blocks):
        x = _residual_block(x, filters)
    for _ in range(GENERATOR_RESAMPLINGS):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters, 3, strides=2, padding="same", use_bias=False, kernel_initializer=gan_normal()
        )(x)
        x = keras.layers.ReLU()(instance_norm()(x))
    x = ReflectionPadding2D(3)(x)
    # Pixels and logits are computed in float32 under a mixed policy: the output layers have few
    # channels, so this costs little, while bfloat16's 8-bit mantissa is too coarse for both.
    x = _conv(channels, 7, use_bias=True, dtype="float32")(x)
    images = keras.layers.Activation("tanh", name="images", dtype="float32")(x)
    return keras.Model(inputs, images, name=name)


def any_size_generator(generator):
    """`generator`'s layers on images of any height and width, with the output of the input's size.

    The inputs are reflect-padded up to the next multiple of 4 (`PadToMultiple`), translated by
    the very layers of `generator` (weights shared, not copied) and cropped back (`CropLike`);
    sizes that are multiples of 4 pass through unpadded, so on training-size images the graph
    computes exactly what `generator` does. Sides must be at least `MIN_ANY_SIZE`.

    Args:
        generator: A functional generator of `build_resnet_generator` (any fixed size).

    Returns:
        A `keras.Model` named as `generator`, with an input named as its input, of shape
        `[B, None, None, C]`, and an output layer named `images` of the same shape.
    """
    source = generator.inputs[0]
    multiple = 2**GENERATOR_RESAMPLINGS
    images = keras.Input(shape=(None, None, source.shape[-1]), name=source.name)
    # Reusing every layer (the clone function returns it) re-wires the graph for unknown sizes.
    flexible = keras.models.clone_model(
        generator,
        input_tensors=keras.Input(shape=(None, None, source.shape[-1]), name=source.name),
        clone_function=lambda layer: layer,
    )
    padded = PadToMultiple(multiple, dtype="float32")(images)
    outputs = CropLike(multiple, name="images", dtype="float32")([flexible(padded), images])
    return keras.Model(images, outputs, name=generator.name)


def patch_output_size(image_size, num_layers=3):
    """Side of the PatchGAN's output map for a square input of `image_size`."""
    size = image_size
    for _ in range(num_layers):
        size //= 2  # 4x4, stride 2, pad 1
    return size - 2  # two 4x4, stride 1, pad 1 convolutions


def build_patch_discriminator(
    image_size=256, channels=3, base_filters=64, num_layers=3, name="discriminator"
):
    """The 70x70 PatchGAN: C64-C128-C256-C512, then a 1-channel map of per-patch outputs.

    4x4 convolutions with 1 pixel of zero padding (strides 2, 2, 2, 1, 1), LeakyReLU(0.2), instance
    norm on every layer but the first. A 256x256 input gives a 30x30 map, 32x32 a 2x2 map.

    Args:
        image_size: Square input size; large enough for a map of at least 1x1 (>= 24 for 3 layers).
        channels: Image channels.
        base_filters: Width of the first layer (ndf, 64 in the paper); widths double up to 8x.
        num_layers: Stride-2 layers (3 gives the 70x70 receptive field).
        name: Model name.

    Returns:
        A `keras.Model` mapping `images [B, size, size, channels]` to `logits [B, h, w, 1]`.
    """
    if not _is_int(num_layers) or num_layers < 1:
        raise ValueError(f"num_layers must be a positive integer; received {num_layers!r}.")
    if not _is_int(image_size) or patch_output_size(image_size, num_layers) < 1:
        minimum = 3 * 2**num_layers
        raise ValueError(
            f"PatchGAN image_size must be at least {minimum} for num_layers={num_layers}; "
            f"received {image_size!r}."
        )
    images = keras.Input(shape=(image_size, image_size, channels), name="images")
    x = keras.layers.ZeroPadding2D(1)(images)
    x = keras.layers.LeakyReLU(0.2)(_conv(base_filters, 4, strides=2, use_bias=True)(x))
    for layer in range(1, num_layers + 1):
        strides = 2 if layer < num_layers else 1
        x = keras.layers.ZeroPadding2D(1)(x)
        x = _conv(base_filters * min(2**layer, 8), 4, strides=strides)(x)
        x = keras.layers.LeakyReLU(0.2)(instance_norm()(x))
    x = keras.layers.ZeroPadding2D(1)(x)
    logits = keras.layers.Conv2D(
        1, 4, kernel_initializer=gan_normal(), name="logits", dtype="float32"
    )(x)
    return keras.Model(images, logits, name=name)
