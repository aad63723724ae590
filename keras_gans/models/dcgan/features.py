"""A trained discriminator as a feature extractor (Radford et al. 2015, Section 5.1).

The paper classifies CIFAR-10 with a linear model on "the discriminator's convolutional features
from all layers, maxpooling each layers representation to produce a 4 x 4 spatial grid", flattened
and concatenated. Here the layers are the discriminator's `Conv2D` layers but the last, which
computes the real/fake logit (a 1x1 map, not a representation).
"""

import keras
import numpy as np


def conv_feature_model(discriminator):
    """A `keras.Model` from the discriminator's input to its hidden `Conv2D` layers' outputs.

    It shares the discriminator's layers (and so its weights).

    Raises:
        ValueError: If the discriminator has fewer than two `Conv2D` layers.
    """
    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    if len(convs) < 2:
        raise ValueError(
            f"Discriminator {discriminator.name!r} has {len(convs)} Conv2D layer(s); features "
            "need at least one besides the logit layer."
        )
    return keras.Model(
        discriminator.input, [layer.output for layer in convs[:-1]], name="conv_features"
    )


def adaptive_max_pool(maps, pool_size):
    """Max-pools `[N, H, W, C]` maps to `[N, pool_size, pool_size, C]`.

    Bin i of an axis of length L spans `[floor(i * L / P), ceil((i + 1) * L / P))`, as PyTorch's
    adaptive pooling: windows of L / P when P divides L, overlapping ones otherwise.

    Raises:
        ValueError: If a map is smaller than `pool_size`.
    """
    height, width = maps.shape[1:3]
    if height < pool_size or width < pool_size:
        raise ValueError(
            f"Cannot max-pool a {height}x{width} feature map to {pool_size}x{pool_size}; "
            f"use a pool_size of at most {min(height, width)}."
        )
    if height % pool_size == 0 and width % pool_size == 0:
        n, channels = maps.shape[0], maps.shape[3]
        tiles = maps.reshape(n, pool_size, height // pool_size, pool_size, width // pool_size, -1)
        return tiles.max(axis=(2, 4)).reshape(n, pool_size, pool_size, channels)
    rows = [_bin(i, height, pool_size) for i in range(pool_size)]
    cols = [_bin(j, width, pool_size) for j in range(pool_size)]
    return np.stack(
        [np.stack([maps[:, r, c].max(axis=(1, 2)) for c in cols], axis=1) for r in rows], axis=1
    )


def _bin(index, length, bins):
    return slice(index * length // bins, -(-(index + 1) * length // bins))


def check_pool_size(pool_size):
    if isinstance(pool_size, bool) or not isinstance(pool_size, (int, np.integer)) or pool_size < 1:
        raise ValueError(f"pool_size must be a positive integer; received {pool_size!r}.")
    return int(pool_size)


def check_feature_images(images, input_shape):
    """`images` as float32 `[N, *input_shape]`, or a ValueError naming the shape received."""
    array = np.asarray(images)
    expected = "[N, " + ", ".join(str(d) for d in input_shape) + "]"
    if array.ndim != 1 + len(input_shape) or tuple(array.shape[1:]) != tuple(input_shape):
        raise ValueError(
            f"images must have shape {expected} (the discriminator's input); received shape "
            f"{array.shape}."
        )
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"images must be float in [-1, 1] (the training preprocessing); received dtype "
            f"{array.dtype}."
        )
    if array.shape[0] < 1:
        raise ValueError(f"images must hold at least one image; received shape {array.shape}.")
    return array.astype(np.float32, copy=False)
