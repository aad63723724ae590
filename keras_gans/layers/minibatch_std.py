"""Minibatch standard deviation: a discriminator feature that sees a batch's variety.

Karras et al. 2018, Progressive Growing of GANs, https://arxiv.org/abs/1710.10196, section 3:
the batch is cut into groups; the standard deviation of each feature over a group's images,
averaged over features and positions, is appended as one more feature map to every image of the
group. A generator that ignores its noise makes groups of near-equal images, which the
discriminator can then tell from real groups.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchStandardDeviation(keras.layers.Layer):
    """`[B, H, W, C]` to `[B, H, W, C + 1]`: the last map is the group's mean standard deviation.

    Groups are runs of `group_size` consecutive images. A replica's share of a global batch is a
    run of consecutive images too, so when `group_size` divides each replica's batch, one device
    and N replicas form the same groups and compute the same feature.

    Args:
        group_size: Images per group (4 in the paper); the batch must be a multiple of it.
        epsilon: Added to the variance before the square root (its gradient at 0).
        **kwargs: Passed to `keras.layers.Layer`.

    Raises:
        ValueError: On a `group_size` below 2, or (when called) a batch that is not a multiple
            of it.

    Example:
        >>> import numpy as np
        >>> images = np.array([0.0, 2.0, 5.0, 5.0], "float32").reshape(4, 1, 1, 1)
        >>> out = MinibatchStandardDeviation(group_size=2)(images)
        >>> [round(float(v), 3) for v in np.asarray(out)[:, 0, 0, 1]]  # groups (0, 2), (5, 5)
        [1.0, 1.0, 0.003, 0.003]
    """

    def __init__(self, group_size=4, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        if isinstance(group_size, bool) or not isinstance(group_size, int) or group_size < 2:
            raise ValueError(
                f"group_size must be an integer of at least 2; received {group_size!r}."
            )
        self.group_size = group_size
        self.epsilon = float(epsilon)

    def call(self, inputs):
        batch = inputs.shape[0]
        if batch is not None and batch % self.group_size:
            raise ValueError(
                f"MinibatchStandardDeviation groups {self.group_size} images; the batch of "
                f"{batch} is not a multiple of it."
            )
        shape = ops.shape(inputs)
        groups = ops.reshape(inputs, (-1, self.group_size, shape[1], shape[2], shape[3]))
        std = ops.sqrt(ops.var(groups, axis=1) + self.epsilon)
        std = ops.mean(std, axis=(1, 2, 3), keepdims=True)  # [B / G, 1, 1, 1]
        std = ops.repeat(std, self.group_size, axis=0)
        std = ops.broadcast_to(std, (shape[0], shape[1], shape[2], 1))
        return ops.concatenate([inputs, ops.cast(std, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)

    def get_config(self):
        config = super().get_config()
        config.update(group_size=self.group_size, epsilon=self.epsilon)
        return config
