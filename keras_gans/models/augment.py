"""Differentiable Augmentation for data-efficient GAN training.

Zhao et al. 2020, https://arxiv.org/abs/2006.10738: the same random colour, translation and
cutout transforms are applied to real and generated images alike before every discriminator call
(both players' updates), so the discriminator cannot memorise a small training set while the
generator still learns the un-augmented distribution. Transforms follow the authors'
`DiffAugment_tf.py` on images in [-1, 1].

Every draw is a per-example uniform number taken from the model's replica-invariant streams
(`keras_gans.models.noise`), so 1 and N replicas augment each example identically.

Instance noise (Sonderby et al. 2016, https://arxiv.org/abs/1610.04490; Arjovsky & Bottou 2017,
https://arxiv.org/abs/1701.04862) is the other input transform: Gaussian pixel noise on every
image the discriminator sees, so that real and generated distributions overlap and the
discriminator cannot win on fine detail alone.
"""

import math
import numbers

import tensorflow as tf

#: The transforms, in the order they are applied, and the uniform draws each takes per example.
POLICIES = {"color": 3, "translation": 2, "cutout": 2}
# The authors' defaults: shifts up to 1/8 of the size, a cutout square of half the size.
TRANSLATION_RATIO = 0.125
CUTOUT_RATIO = 0.5


def parse_policy(policy):
    """`policy` (comma-separated string, sequence or None) as a tuple of known transform names.

    Raises:
        ValueError: On an unknown or repeated name.
    """
    if policy is None or policy == "":
        return ()
    names = policy.split(",") if isinstance(policy, str) else list(policy)
    names = tuple(str(name).strip() for name in names)
    for name in names:
        if name not in POLICIES:
            raise ValueError(
                f"augment must name transforms among {', '.join(POLICIES)}; received {policy!r} "
                f"(unknown {name!r})."
            )
    if len(set(names)) != len(names):
        raise ValueError(f"augment names a transform twice; received {policy!r}.")
    return names


def check_instance_noise(value):
    """`value` as a float standard deviation >= 0 (None is 0: no noise).

    Raises:
        ValueError: If it is not a finite number >= 0.
    """
    if value is None:
        return 0.0
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(
            f"instance_noise must be a finite standard deviation >= 0; received {value!r}."
        )
    return float(value)


def with_instance_noise(images, stddev, normal):
    """`images + stddev * normal`, the draws (standard normal, float32, `images`' shape) cast to
    the images' dtype (a mixed policy's compute dtype)."""
    return images + tf.cast(stddev * normal, images.dtype)


def num_draws(policy):
    """Uniform draws per example that `policy` (a parsed tuple) takes."""
    return sum(POLICIES[name] for name in policy)


def diff_augment(images, draws, policy):
    """Applies `policy`'s transforms to `images [B, H, W, C]` with `draws [B, num_draws]` in
    [0, 1); differentiable in `images`."""
    column = 0
    for name in policy:
        width = POLICIES[name]
        images = _TRANSFORMS[name](images, draws[:, column : column + width])
        column += width
    return images


def _color(x, u):
    u = tf.cast(u, x.dtype)
    x = x + (u[:, 0:1, None, None] - 0.5)  # brightness
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - mean) * (u[:, 1:2, None, None] * 2.0) + mean  # saturation (none for grey)
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * (u[:, 2:3, None, None] + 0.5) + mean  # contrast


def _shifts(u, size, ratio):
    """Integer offsets in [-s, s] with s = round(size * ratio), one per example."""
    limit = int(size * ratio + 0.5)
    return tf.cast(tf.floor(u * (2 * limit + 1)), tf.int32) - limit, limit


def _translation(x, u):
    height, width = x.shape[1], x.shape[2]
    dy, pad_y = _shifts(u[:, 0], height, TRANSLATION_RATIO)
    dx, pad_x = _shifts(u[:, 1], width, TRANSLATION_RATIO)
    # Zero padding (mid-grey in [-1, 1]), as the authors pad.
    padded = tf.pad(x, [[0, 0], [pad_y, pad_y], [pad_x, pad_x], [0, 0]])
    rows = tf.range(height)[None, :] + pad_y - dy[:, None]
    cols = tf.range(width)[None, :] + pad_x - dx[:, None]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def _cutout(x, u):
    height, width = x.shape[1], x.shape[2]
    cut_h, cut_w = int(height * CUTOUT_RATIO + 0.5), int(width * CUTOUT_RATIO + 0.5)
    # Centres anywhere that keeps at least half the square inside the image, as the authors'.
    cy = tf.floor(u[:, 0] * (height + 1 - cut_h % 2))[:, None]
    cx = tf.floor(u[:, 1] * (width + 1 - cut_w % 2))[:, None]
    rows = tf.range(height, dtype=u.dtype)[None, :]
    cols = tf.range(width, dtype=u.dtype)[None, :]
    inside_rows = (rows >= cy - cut_h // 2) & (rows < cy - cut_h // 2 + cut_h)
    inside_cols = (cols >= cx - cut_w // 2) & (cols < cx - cut_w // 2 + cut_w)
    inside = inside_rows[:, :, None] & inside_cols[:, None, :]
    mask = 1.0 - tf.cast(inside, x.dtype)
    return x * mask[..., None]


_TRANSFORMS = {"color": _color, "translation": _translation, "cutout": _cutout}
