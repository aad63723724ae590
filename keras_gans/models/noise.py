"""Randomness that does not depend on the number of replicas.

Every draw is stateless and keyed by (model seed, training step, stream). Each replica draws the
whole global batch and keeps its own rows, so example i gets the same noise on one device and on
N replicas: training is then the same update whatever the replica count, and exact on resume.
"""

import tensorflow as tf

# Streams separate the independent draws of one step (D noise, G noise, pools, ...).
MAX_STREAMS = 64


def replica_position():
    """Returns `(replica_id, num_replicas)` of the calling replica (0, 1 outside a strategy)."""
    context = tf.distribute.get_replica_context()
    if context is None:  # cross-replica context: one logical batch
        return tf.constant(0, tf.int32), 1
    return tf.cast(context.replica_id_in_sync_group, tf.int32), context.num_replicas_in_sync


def step_seed(seed, step, stream):
    """The stateless seed of one stream at one step."""
    if not 0 <= stream < MAX_STREAMS:
        raise ValueError(f"stream must lie in [0, {MAX_STREAMS}); received {stream}.")
    step = tf.cast(step, tf.int64)
    return tf.stack([tf.constant(seed, tf.int64), step * MAX_STREAMS + stream])


def _replica_rows(draw, per_replica_batch, feature_shape, seed, step, stream, dtype):
    replica_id, num_replicas = replica_position()
    global_batch = per_replica_batch * num_replicas
    values = draw(
        # `feature_shape` may be a tensor: images of a size known only at run time.
        tf.concat([[global_batch], tf.convert_to_tensor(feature_shape, tf.int32)], axis=0),
        seed=step_seed(seed, step, stream),
        dtype=dtype,
        # Named, so that every device type draws the same numbers (AUTO_SELECT may not).
        # XLA-compiled steps draw other (equally replica-invariant) numbers: XLA's Philox
        # differs from TensorFlow's kernels for seeds computed at run time.
        alg="philox",
    )
    return values[replica_id * per_replica_batch : (replica_id + 1) * per_replica_batch]


def replica_normal(per_replica_batch, feature_shape, seed, step, stream, dtype=tf.float32):
    """Standard normal draws `[per_replica_batch, *feature_shape]` for this replica's examples."""
    return _replica_rows(
        tf.random.stateless_normal, per_replica_batch, feature_shape, seed, step, stream, dtype
    )


def replica_uniform(per_replica_batch, feature_shape, seed, step, stream, dtype=tf.float32):
    """Uniform [0, 1) draws `[per_replica_batch, *feature_shape]` for this replica's examples."""
    return _replica_rows(
        tf.random.stateless_uniform, per_replica_batch, feature_shape, seed, step, stream, dtype
    )
