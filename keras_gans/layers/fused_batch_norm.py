"""BatchNormalization whose training pass under a mixed policy runs TensorFlow's fused kernel.

Keras 3's `BatchNormalization` normalises with separate ops, and under `mixed_bfloat16` or
`mixed_float16` it first casts every activation to float32 and back. On the CPU that is about a
tenth of a bfloat16 DCGAN-64 step; fusing it made that step 1.08x (batch 64) and 1.18x (batch 128)
as fast (benchmarks/results/batch_norm_ab_epyc_avx512.json). `FusedBatchNormV3` reads
the half-precision activations directly and keeps its statistics in float32, in one op forward and
one backward, as Keras 2's `fused=True` did.
"""

import keras
import tensorflow as tf

_HALF = (tf.bfloat16, tf.float16)
# cuDNN refuses a smaller epsilon; Keras 2's fused path raised it to this as well.
_MIN_EPSILON = 1.001e-5


@keras.saving.register_keras_serializable(package="keras_gans")
class FusedBatchNormalization(keras.layers.BatchNormalization):
    """`keras.layers.BatchNormalization` with a fused training pass for half-precision inputs.

    The fused pass runs in training mode for a 4-D channels-last bfloat16 or float16 input, without
    a mask or renormalisation, unless the layer is `synchronized` and more than one replica is in
    sync: cross-replica statistics need Keras's all-reduce. Everything else (float32 inputs, where
    the fused kernel measured no faster on the CPU, inference, other ranks) is Keras's own code,
    so float32 models compute exactly what `BatchNormalization` computes. Takes the same arguments
    and saves the same config.
    """

    def call(self, inputs, training=None, mask=None):
        if not self._fuses(inputs, training, mask):
            return super().call(inputs, training=training, mask=mask)
        channels = inputs.shape[-1]
        scale = self.gamma if self.scale else tf.ones([channels])
        offset = self.beta if self.center else tf.zeros([channels])
        outputs, mean, variance, _, _, _ = tf.raw_ops.FusedBatchNormV3(
            x=inputs,
            scale=tf.cast(scale, tf.float32),
            offset=tf.cast(offset, tf.float32),
            mean=tf.constant([], tf.float32),
            variance=tf.constant([], tf.float32),
            epsilon=max(self.epsilon, _MIN_EPSILON),
            exponential_avg_factor=1.0,
            data_format="NHWC",
            is_training=True,
        )
        # The kernel returns the variance with Bessel's correction; Keras moves the moving
        # variance with the biased one it normalises with.
        count = tf.cast(tf.size(inputs) // channels, tf.float32)
        variance = variance * (count - 1.0) / tf.maximum(count, 1.0)
        self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
        self.moving_variance.assign(
            self.moving_variance * self.momentum + variance * (1.0 - self.momentum)
        )
        return tf.cast(outputs, self.compute_dtype)

    def _fuses(self, inputs, training, mask):
        if not (training and self.trainable) or mask is not None or self.renorm:
            return False
        if len(inputs.shape) != 4 or self.axis not in (-1, 3) or inputs.dtype not in _HALF:
            return False
        context = tf.distribute.get_replica_context()
        return not (self.synchronized and context is not None and context.num_replicas_in_sync > 1)
