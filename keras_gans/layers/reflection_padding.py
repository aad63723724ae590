"""Reflection padding, the border handling of CycleGAN's ResNet generator."""

import keras


@keras.saving.register_keras_serializable(package="keras_gans")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width of `[B, H, W, C]` tensors by mirroring the border pixels.

    Zhu et al. 2017 (https://arxiv.org/abs/1703.10593) pad with reflections rather than zeros
    so that the generator does not paint dark frames. The pad must be smaller than the input
    side, as `tf.pad(mode="REFLECT")` requires.

    Args:
        padding: An int (same pad on every side), or `(pad_height, pad_width)`.
        **kwargs: Passed to `keras.layers.Layer`.

    Example:
        >>> import numpy as np
        >>> layer = ReflectionPadding2D(3)
        >>> tuple(layer(np.zeros((1, 32, 32, 1), "float32")).shape)
        (1, 38, 38, 1)
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, int):
            padding = (padding, padding)
        padding = tuple(padding)
        if len(padding) != 2 or any(
            isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in padding
        ):
            raise ValueError(
                f"padding must be a non-negative int or a pair of them; received {padding!r}."
            )
        self.padding = padding

    def build(self, input_shape):
        # Reflection cannot reach past the opposite border: fail at build, not mid-training.
        for side, size, pad in zip(("height", "width"), input_shape[1:3], self.padding):
            if size is not None and pad >= size:
                raise ValueError(
                    f"Reflection padding {pad} needs an input {side} above {pad}; received {size}."
                )
        self.built = True

    def call(self, inputs):
        pad_h, pad_w = self.padding
        return keras.ops.pad(
            inputs, [[0, 0], [pad_h, pad_h], [pad_w, pad_w], [0, 0]], mode="reflect"
        )

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        pad_h, pad_w = self.padding
        return (
            batch,
            None if height is None else height + 2 * pad_h,
            None if width is None else width + 2 * pad_w,
            channels,
        )

    def get_config(self):
        config = super().get_config()
        config["padding"] = list(self.padding)
        return config
