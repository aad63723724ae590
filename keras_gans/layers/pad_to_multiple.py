"""Reflect-pad images up to a multiple of a size, and crop back: fully convolutional translators.

A generator with two stride-2 down- and up-sampling convolutions returns an image of its input's
size only when that size is a multiple of 4. `PadToMultiple` pads any height and width (known only
when the graph runs) up to the next multiple, and `CropLike` cuts the same margins off the output,
so the exported graph maps `[B, H, W, C]` to `[B, H, W, C]` for any H, W.
"""

import keras


def _margins(size, multiple):
    """`(before, after)` of the pad taking `size` (a scalar tensor) to a multiple of `multiple`.

    The pad is split evenly, the odd pixel after: the borders the generator sees stay centred.
    """
    total = (multiple - size % multiple) % multiple
    return total // 2, total - total // 2


class _MultipleLayer(keras.layers.Layer):
    """A layer with a validated positive integer `multiple`, kept in its config."""

    def __init__(self, multiple=4, **kwargs):
        super().__init__(**kwargs)
        if isinstance(multiple, bool) or not isinstance(multiple, int) or multiple < 1:
            raise ValueError(f"multiple must be a positive integer; received {multiple!r}.")
        self.multiple = multiple

    def get_config(self):
        return {**super().get_config(), "multiple": self.multiple}


@keras.saving.register_keras_serializable(package="keras_gans")
class PadToMultiple(_MultipleLayer):
    """Reflect-pads height and width of `[B, H, W, C]` up to the next multiple of `multiple`.

    A no-op on sizes that already are multiples. Sides must be at least `multiple`: reflection
    cannot reach past the opposite border.

    Args:
        multiple: The size both sides are padded up to a multiple of.
        **kwargs: Passed to `keras.layers.Layer`.

    Example:
        >>> import numpy as np
        >>> tuple(PadToMultiple(4)(np.zeros((1, 37, 45, 1), "float32")).shape)
        (1, 40, 48, 1)
    """

    def call(self, inputs):
        # The margins are known only when the graph runs, and `ops.pad` takes static ones: pad
        # by the most any side can need, then keep the window of the margins this size needs
        # (a reflection's inner part is the smaller reflection).
        most = self.multiple - 1
        padded = keras.ops.pad(inputs, [[0, 0], [most, most], [most, most], [0, 0]], mode="reflect")
        shape = keras.ops.shape(inputs)
        top, bottom = _margins(shape[1], self.multiple)
        left, right = _margins(shape[2], self.multiple)
        return padded[
            :, most - top : most + shape[1] + bottom, most - left : most + shape[2] + right
        ]

    def compute_output_shape(self, input_shape):
        def padded(size):
            return None if size is None else -(-size // self.multiple) * self.multiple

        batch, height, width, channels = input_shape
        return batch, padded(height), padded(width), channels


@keras.saving.register_keras_serializable(package="keras_gans")
class CropLike(_MultipleLayer):
    """Crops `[B, H', W', C]` back to the `H x W` of a reference `[B, H, W, C']`.

    Undoes `PadToMultiple(multiple)`: the margins cut are the ones it added, so pixel (i, j) of
    the output lines up with pixel (i, j) of the reference.

    Args:
        multiple: The `multiple` of the `PadToMultiple` being undone.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def call(self, inputs):
        images, reference = inputs
        shape = keras.ops.shape(reference)
        top, _ = _margins(shape[1], self.multiple)
        left, _ = _margins(shape[2], self.multiple)
        return images[:, top : top + shape[1], left : left + shape[2], :]

    def compute_output_shape(self, input_shape):
        images, reference = input_shape
        return images[0], reference[1], reference[2], images[3]
