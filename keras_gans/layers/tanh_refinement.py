"""A residual in tanh's input space: an image refined by a network's output, still in (-1, 1)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class TanhRefinement(keras.layers.Layer):
    """`[base, residual]` to `tanh(atanh(base) + residual)`, both `[B, H, W, C]`.

    A generator whose last layer is this, with `base` an image it was given, starts as the
    identity (its last convolution's output is near 0 at initialisation) and learns a correction
    whose output stays in (-1, 1) like a tanh output. StackGAN's Stage II uses it on the
    upsampled Stage-I image (`build_stage2_generator(refine=True)`).

    Args:
        limit: `base` is clipped to `[-limit, limit]` first: atanh is infinite at +-1.
        **kwargs: Passed to `keras.layers.Layer`.

    Example:
        >>> import numpy as np
        >>> base = np.array([0.5, -1.0], "float32").reshape(1, 1, 2, 1)
        >>> out = TanhRefinement()([base, np.zeros_like(base)])
        >>> [round(float(v), 3) for v in np.asarray(out).ravel()]  # -1 is clipped to -0.995
        [0.5, -0.995]
    """

    def __init__(self, limit=0.995, **kwargs):
        super().__init__(**kwargs)
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 < limit < 1:
            raise ValueError(f"limit must be a number in (0, 1); received {limit!r}.")
        self.limit = float(limit)

    def call(self, inputs):
        base, residual = inputs
        base = ops.clip(ops.cast(base, residual.dtype), -self.limit, self.limit)
        return ops.tanh(ops.arctanh(base) + residual)

    def compute_output_shape(self, input_shapes):
        return input_shapes[1]

    def get_config(self):
        config = super().get_config()
        config["limit"] = self.limit
        return config
