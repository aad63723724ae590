"""Convolution and dense layers whose kernel is divided by its largest singular value.

Spectral normalisation (Miyato et al. 2018, https://arxiv.org/abs/1802.05957) as the paper's code
computes it: the layer keeps its kernel W as the trainable variable and applies W / sigma(W), with
sigma estimated by one step of power iteration per training call from a persistent vector u.
Gradients flow through sigma (u and v are held constant), so the optimizer moves W, not a
renormalised copy: `keras.layers.SpectralNormalization` instead overwrites the wrapped layer's
kernel with W / sigma on every training call, which is a different update.

u depends on the weights only, so every replica computes the same one; it is saved with the
weights, so a reloaded layer continues the iteration where it stopped.
"""

import keras
from keras import ops


def _l2_normalize(x):
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x)), 1e-12))


class _SpectrallyNormalized:
    """Mixin: `normalized_kernel(training)` for a layer with `kernel` [..., out]."""

    def _check_power_iterations(self, power_iterations):
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int):
            raise ValueError(
                f"power_iterations must be a positive integer; received {power_iterations!r}."
            )
        if power_iterations < 1:
            raise ValueError(
                f"power_iterations must be a positive integer; received {power_iterations!r}."
            )
        return power_iterations

    def _add_singular_vector(self, size):
        self.singular_vector = self.add_weight(
            name="singular_vector",
            shape=(1, size),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),
            trainable=False,
            autocast=False,
        )

    def normalized_kernel(self, training=None):
        """`kernel / sigma` in the compute dtype; a training call advances u by the iterations."""
        kernel = ops.cast(self.kernel, "float32")
        matrix = ops.reshape(kernel, [-1, kernel.shape[-1]])
        u = ops.convert_to_tensor(self.singular_vector)
        for _ in range(self.power_iterations):
            v = _l2_normalize(ops.matmul(u, ops.transpose(matrix)))
            u = _l2_normalize(ops.matmul(v, matrix))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        if training:
            self.singular_vector.assign(u)
        sigma = ops.sum(ops.matmul(v, matrix) * u)
        return ops.cast(kernel / sigma, self.compute_dtype)

    # Keras's Conv2D and Dense save a fixed list (kernel, bias); u is saved after them.
    def _saved_variables(self):
        biases = [self.bias] if self.use_bias else []
        return [self._kernel] + biases + [self.singular_vector]

    def save_own_variables(self, store):
        if self.built:
            for index, variable in enumerate(self._saved_variables()):
                store[str(index)] = variable

    def load_own_variables(self, store):
        variables = self._saved_variables() if self.built else []
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer {self.name!r} expects {len(variables)} saved variables "
                f"({[v.name for v in variables]}); the file holds {len(store.keys())}."
            )
        for index, variable in enumerate(variables):
            variable.assign(store[str(index)])

    def _spectral_config(self, config):
        config["power_iterations"] = self.power_iterations
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class SpectralConv2D(_SpectrallyNormalized, keras.layers.Conv2D):
    """`keras.layers.Conv2D` with a spectrally normalised kernel.

    Args:
        *args: `Conv2D`'s arguments.
        power_iterations: Power-iteration steps per training call (the paper: 1).
        **kwargs: `Conv2D`'s keyword arguments.
    """

    def __init__(self, *args, power_iterations=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.power_iterations = self._check_power_iterations(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        self._add_singular_vector(self.filters)

    def call(self, inputs, training=None):
        outputs = self.convolution_op(inputs, self.normalized_kernel(training))
        if self.use_bias:
            if self.data_format == "channels_last":
                shape = (1,) * (self.rank + 1) + (self.filters,)
            else:
                shape = (1, self.filters) + (1,) * self.rank
            outputs = ops.add(outputs, ops.reshape(ops.cast(self.bias, outputs.dtype), shape))
        return outputs if self.activation is None else self.activation(outputs)

    def get_config(self):
        return self._spectral_config(super().get_config())


@keras.saving.register_keras_serializable(package="keras_gans")
class SpectralDense(_SpectrallyNormalized, keras.layers.Dense):
    """`keras.layers.Dense` with a spectrally normalised kernel.

    Args:
        *args: `Dense`'s arguments.
        power_iterations: Power-iteration steps per training call (the paper: 1).
        **kwargs: `Dense`'s keyword arguments.
    """

    def __init__(self, *args, power_iterations=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.power_iterations = self._check_power_iterations(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        self._add_singular_vector(self.units)

    def call(self, inputs, training=None):
        outputs = ops.matmul(inputs, self.normalized_kernel(training))
        if self.use_bias:
            outputs = ops.add(outputs, ops.cast(self.bias, outputs.dtype))
        return outputs if self.activation is None else self.activation(outputs)

    def get_config(self):
        return self._spectral_config(super().get_config())
