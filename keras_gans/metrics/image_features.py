"""Image batches for the feature extractors: checked, made RGB in [0, 255], and run in batches."""

import numpy as np

from keras_gans import images as image_files
from keras_gans.metrics import checks

#: Slack on the [-1, 1] range: generators end in tanh, resampling may overshoot by round-off.
_RANGE_SLACK = 1e-3


def to_rgb_uint8(images, name="images"):
    """`[N, H, W, 3]` uint8 images in [0, 255] from our convention.

    Floats in [-1, 1] are quantised the way a PNG on disk is (`round((x + 1) * 127.5)`), so an
    extractor sees a generator's output as it would see the same images saved to a folder;
    grey images are repeated to three channels.

    Args:
        images: `[N, H, W, C]`, C in {1, 3}: float in [-1, 1], or uint8.
        name: The argument's name in error messages.

    Returns:
        A uint8 array `[N, H, W, 3]`.

    Raises:
        ValueError: On another rank, no images, C not in {1, 3}, another dtype, non-finite values
            or floats outside [-1, 1].
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[0] < 1 or images.shape[-1] not in (1, 3):
        raise ValueError(
            f"{name} must have shape [N >= 1, H, W, C in (1, 3)]; received {images.shape}."
        )
    if images.dtype != np.uint8:
        if not np.issubdtype(images.dtype, np.floating):
            raise ValueError(
                f"{name} must be float in [-1, 1] or uint8; received dtype {images.dtype}."
            )
        if not np.all(np.isfinite(images)):
            bad = int(np.sum(~np.isfinite(images)))
            raise ValueError(f"{name} must be finite; received {bad} NaN/inf values.")
        low, high = float(images.min()), float(images.max())
        if low < -1.0 - _RANGE_SLACK or high > 1.0 + _RANGE_SLACK:
            raise ValueError(
                f"{name} must be float in [-1, 1]; received values in [{low:.4g}, {high:.4g}]."
            )
    rgb = image_files.to_uint8(images)
    return np.repeat(rgb, 3, axis=-1) if rgb.shape[-1] == 1 else rgb


def run_in_batches(function, images, batch_size):
    """`function` over consecutive batches of `images`, each output flattened to `[n, D]`.

    Args:
        function: Maps a `[n, H, W, 3]` batch to a `[n, ...]` array or tensor.
        images: The array to split along its first axis.
        batch_size: Images per call; the last batch may be smaller (no image is dropped).

    Returns:
        A float64 array `[N, D]`.
    """
    batch_size = checks.check_int_in("batch_size", batch_size, 1, 10**6)
    outputs = []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        outputs.append(np.asarray(function(batch), dtype=np.float64).reshape(len(batch), -1))
    return np.concatenate(outputs)
