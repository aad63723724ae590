"""Gaussian and Laplacian image pyramids as Keras layers (Burt & Adelson 1983; LAPGAN).

Denton et al. 2015, https://arxiv.org/abs/1506.05751: a Gaussian pyramid halves the image with a
blur-and-subsample `d(.)`; a Laplacian pyramid keeps the coarsest image and, at every finer level k,
the band-pass residual h_k = I_k - u(I_{k-1}) against the blurred upsample `u(.)` of the coarser
level. Reconstruction runs coarse to fine, I_k = u(I_{k-1}) + h_k, and is exact by construction
whatever `d` and `u` are.

Both resamplers are fixed binomial blurs (the discrete Gaussian) applied as a depthwise convolution
with constant weights, around a nearest-neighbour or stride-2 resampling; edges are padded by
mirroring with slices and a concatenation. Every op (slice, concat, reshape, depthwise conv) is
one that tf2onnx converts, so the pyramid can sit inside exported sampling graphs.

Every list in this module is ordered coarse to fine: index 0 is the coarsest level.
"""

import math

import keras
import numpy as np
from keras import ops


def binomial_kernel(taps):
    """The normalised 2-D binomial (discrete Gaussian) kernel of `taps` x `taps`, as numpy."""
    row = np.array([math.comb(taps - 1, i) for i in range(taps)], dtype=np.float64)
    row /= row.sum()
    return np.outer(row, row).astype(np.float32)


def symmetric_pad(images, pad):
    """Pads `[B, H, W, C]` by `pad` pixels on every side, mirroring the edge (edge included).

    Built from slices and one concatenation per axis rather than `MirrorPad`: ONNX's Pad has no
    symmetric mode.
    """
    if pad == 0:
        return images
    for axis in (1, 2):
        size = images.shape[axis]
        if pad > size:
            raise ValueError(f"Cannot pad {pad} pixels of a side {size} pixels long.")
        before = [_slice(images, axis, i) for i in reversed(range(pad))]
        after = [_slice(images, axis, size - 1 - i) for i in range(pad)]
        images = ops.concatenate(before + [images] + after, axis=axis)
    return images


def _slice(images, axis, index):
    """The one-pixel-wide slice `index` of `images` along `axis` (rank kept)."""
    return images[(slice(None),) * axis + (slice(index, index + 1),)]


def _depthwise_blur(images, kernel, strides):
    channels = images.shape[-1]
    # [k, k, C, 1]: the same blur on every channel.
    weights = np.repeat(kernel[:, :, None, None], channels, axis=2)
    weights = ops.cast(ops.convert_to_tensor(weights), images.dtype)
    return ops.depthwise_conv(images, weights, strides=strides, padding="valid")


def _check_spatial(shape, layer_name):
    if len(shape) != 4:
        raise ValueError(
            f"{layer_name} expects [batch, height, width, channels]; received shape {shape}."
        )
    if shape[1] is None or shape[2] is None or shape[3] is None:
        raise ValueError(
            f"{layer_name} needs static height, width and channels; received shape {shape}."
        )


@keras.saving.register_keras_serializable(package="keras_gans")
class GaussianDownsample2D(keras.layers.Layer):
    """Binomial blur then 2x subsampling: `[B, H, W, C]` -> `[B, H/2, W/2, C]`.

    An even number of taps centres each output pixel between the two input pixels it replaces
    (output j sits at input position 2j + 0.5), the same grid `GaussianUpsample2D` maps back to.

    Args:
        taps: Kernel width, an even number >= 2 (2: 2x2 mean; 4: [1, 3, 3, 1] / 8, the default).
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, taps=4, **kwargs):
        super().__init__(**kwargs)
        if isinstance(taps, bool) or not isinstance(taps, int) or taps < 2 or taps % 2:
            raise ValueError(
                f"GaussianDownsample2D taps must be an even integer >= 2; received {taps!r}."
            )
        self.taps = taps
        self.kernel = binomial_kernel(taps)

    def build(self, input_shape):
        _check_spatial(input_shape, "GaussianDownsample2D")
        if input_shape[1] % 2 or input_shape[2] % 2:
            raise ValueError(
                "GaussianDownsample2D needs an even height and width; received "
                f"{input_shape[1]}x{input_shape[2]}."
            )

    def call(self, images):
        padded = symmetric_pad(images, self.taps // 2 - 1)
        return _depthwise_blur(padded, self.kernel, strides=2)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        return (batch, height // 2, width // 2, channels)

    def get_config(self):
        config = super().get_config()
        config["taps"] = self.taps
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class GaussianUpsample2D(keras.layers.Layer):
    """Nearest-neighbour 2x upsampling then a binomial blur: `[B, H, W, C]` -> `[B, 2H, 2W, C]`.

    With 3 taps this is bilinear interpolation on the half-pixel grid (weights 3/4 and 1/4); more
    taps blur more. The upsampling is a stack and a reshape, which every exporter handles.

    Args:
        taps: Kernel width, an odd number >= 1 (1: nearest neighbour; 3: bilinear, the default).
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, taps=3, **kwargs):
        super().__init__(**kwargs)
        if isinstance(taps, bool) or not isinstance(taps, int) or taps < 1 or taps % 2 == 0:
            raise ValueError(
                f"GaussianUpsample2D taps must be an odd integer >= 1; received {taps!r}."
            )
        self.taps = taps
        self.kernel = binomial_kernel(taps)

    def build(self, input_shape):
        _check_spatial(input_shape, "GaussianUpsample2D")

    def call(self, images):
        _, height, width, channels = images.shape
        # Each pixel repeated along a new axis, folded back: rows, then columns.
        images = ops.reshape(ops.stack([images, images], axis=2), (-1, 2 * height, width, channels))
        images = ops.reshape(
            ops.stack([images, images], axis=3), (-1, 2 * height, 2 * width, channels)
        )
        padded = symmetric_pad(images, self.taps // 2)
        return _depthwise_blur(padded, self.kernel, strides=1)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        return (batch, 2 * height, 2 * width, channels)

    def get_config(self):
        config = super().get_config()
        config["taps"] = self.taps
        return config


def check_levels(levels):
    """Returns `levels` if it is an integer >= 1, else raises a ValueError."""
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise ValueError(f"levels must be an integer >= 1; received {levels!r}.")
    return levels


def check_pyramid_size(height, width, levels, min_size=4):
    """Checks that `levels` pyramid levels fit an image of `height` x `width`.

    The image is halved `levels - 1` times, so both sides must be divisible by 2**(levels - 1),
    and the coarsest level must keep at least `min_size` pixels a side.

    Returns:
        The `(height, width)` of the coarsest level.

    Raises:
        ValueError: Naming the expected and received sizes.
    """
    check_levels(levels)
    factor = 2 ** (levels - 1)
    if height % factor or width % factor:
        raise ValueError(
            f"A {levels}-level pyramid halves the image {levels - 1} time(s): height and width "
            f"must be divisible by 2**(levels - 1) = {factor}; received {height}x{width}."
        )
    coarse = (height // factor, width // factor)
    if min(coarse) < min_size:
        raise ValueError(
            f"{levels} levels leave a {coarse[0]}x{coarse[1]} coarsest image from "
            f"{height}x{width}; expected at least {min_size}x{min_size} (use at most "
            f"{int(math.log2(min(height, width) // min_size)) + 1} levels)."
        )
    return coarse


def gaussian_pyramid(images, levels, downsample):
    """`[I_0 (coarsest), ..., I_{levels-1} = images]`, each level `downsample` of the next finer."""
    shape = tuple(images.shape)
    check_pyramid_size(shape[1], shape[2], levels, min_size=1)
    pyramid = [images]
    for _ in range(levels - 1):
        pyramid.insert(0, downsample(pyramid[0]))
    return pyramid


def laplacian_pyramid(images, levels, downsample, upsample):
    """`[I_0, h_1, ..., h_{levels-1}]`: the coarsest image, then band-pass residuals coarse to
    fine."""
    gaussian = gaussian_pyramid(images, levels, downsample)
    bands = [gaussian[k] - upsample(gaussian[k - 1]) for k in range(1, levels)]
    return [gaussian[0]] + bands


def reconstruct_laplacian(pyramid, upsample):
    """The image a Laplacian pyramid encodes: I_k = upsample(I_{k-1}) + h_k, coarse to fine."""
    image = pyramid[0]
    for band in pyramid[1:]:
        image = upsample(image) + band
    return image


@keras.saving.register_keras_serializable(package="keras_gans")
class LaplacianPyramid(keras.layers.Layer):
    """Images `[B, H, W, C]` to their Laplacian pyramid `[I_0, h_1, ..., h_{L-1}]` (coarse to fine).

    Args:
        levels: Number of levels L; H and W must be divisible by 2**(L - 1).
        downsample_taps: Taps of the `GaussianDownsample2D`.
        upsample_taps: Taps of the `GaussianUpsample2D`.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, levels, downsample_taps=4, upsample_taps=3, **kwargs):
        super().__init__(**kwargs)
        self.levels = check_levels(levels)
        self.downsample = GaussianDownsample2D(downsample_taps)
        self.upsample = GaussianUpsample2D(upsample_taps)

    def build(self, input_shape):
        _check_spatial(input_shape, "LaplacianPyramid")
        check_pyramid_size(input_shape[1], input_shape[2], self.levels, min_size=1)

    def call(self, images):
        return laplacian_pyramid(images, self.levels, self.downsample, self.upsample)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        return [
            (
                batch,
                height // 2 ** (self.levels - 1 - k),
                width // 2 ** (self.levels - 1 - k),
                channels,
            )
            for k in range(self.levels)
        ]

    def get_config(self):
        config = super().get_config()
        config.update(
            levels=self.levels,
            downsample_taps=self.downsample.taps,
            upsample_taps=self.upsample.taps,
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class LaplacianReconstruction(keras.layers.Layer):
    """A Laplacian pyramid `[I_0, h_1, ..., h_{L-1}]` (coarse to fine) back to the image.

    Args:
        upsample_taps: Taps of the `GaussianUpsample2D`; the same as the pyramid's for exactness.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, upsample_taps=3, **kwargs):
        super().__init__(**kwargs)
        self.upsample = GaussianUpsample2D(upsample_taps)

    def call(self, pyramid):
        return reconstruct_laplacian(list(pyramid), self.upsample)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config["upsample_taps"] = self.upsample.taps
        return config


def level_shapes_for(image_shape, levels):
    """`(H, W, C)` of every pyramid level, coarse to fine; raises on sizes the pyramid cannot
    split."""
    height, width, channels = image_shape
    check_pyramid_size(height, width, levels)
    return [
        (height // 2 ** (levels - 1 - level), width // 2 ** (levels - 1 - level), channels)
        for level in range(levels)
    ]
