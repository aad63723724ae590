"""Mixed-precision helpers of the training skeleton: float32 deployment copies, global overflow
checks."""

import keras
import tensorflow as tf

MIXED_POLICIES = ("mixed_float16", "mixed_bfloat16")


def float32_config(config):
    """A model config with every layer's mixed dtype policy replaced by float32.

    Input dtypes (`int32` labels, `float32` noise) are plain strings and stay as they are.
    """
    if isinstance(config, dict):
        return {
            key: "float32" if key == "dtype" and _is_mixed(value) else float32_config(value)
            for key, value in config.items()
        }
    if isinstance(config, list):
        return [float32_config(value) for value in config]
    return config


def _is_mixed(dtype):
    if isinstance(dtype, dict):  # a serialised DTypePolicy
        return dtype.get("config", {}).get("name") in MIXED_POLICIES
    return dtype in MIXED_POLICIES


class Float32Policy:
    """Sets the global dtype policy to float32 for the duration of a `with` block."""

    def __enter__(self):
        self.previous = keras.mixed_precision.dtype_policy()
        keras.mixed_precision.set_dtype_policy("float32")

    def __exit__(self, *exc):
        keras.mixed_precision.set_dtype_policy(self.previous)


def non_finite_everywhere_if_anywhere(optimizer, gradients):
    """This replica's gradients, made non-finite when any replica's are.

    A `LossScaleOptimizer` decides to skip a step from the gradients it is given: this replica's,
    before the all-reduce (or, under merge calls, replica 0's). An overflow on another replica
    would then be applied on some replicas and skipped on others, or summed into every weight as
    inf. One all-reduced flag makes every replica see the overflow, skip the step and halve the
    scale alike.
    """
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return gradients
    overflows = tf.cast(tf.logical_not(optimizer.check_finite(gradients)), tf.float32)
    anywhere = context.all_reduce(tf.distribute.ReduceOp.SUM, overflows) > 0
    # Times 1 leaves finite gradients bit for bit as they were.
    factor = tf.where(anywhere, float("nan"), 1.0)
    return [None if g is None else g * tf.cast(factor, g.dtype) for g in gradients]
