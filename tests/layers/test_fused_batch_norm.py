"""FusedBatchNormalization: Keras's BatchNormalization, with one fused op under a mixed policy.

The reference is Keras's own layer, run on the same half-precision input with the same weights:
outputs, the gradients of the input, gamma and beta, and the moving statistics after one step.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.layers import FusedBatchNormalization

SHAPE = (6, 5, 4, 3)


def _pair(dtype, **kwargs):
    """Keras's layer and ours with the same arguments and the same (non-trivial) weights."""
    layers = [
        cls(momentum=0.9, epsilon=1e-3, dtype=dtype, **kwargs)
        for cls in (keras.layers.BatchNormalization, FusedBatchNormalization)
    ]
    rng = np.random.default_rng(0)
    weights = None
    for layer in layers:
        layer.build(SHAPE)
        if weights is None:
            weights = [rng.normal(1.0, 0.5, w.shape).astype("float32") for w in layer.weights]
            weights[3] = np.abs(weights[3])  # a moving variance
        layer.set_weights(weights)
    return layers


def _step(layer, inputs, upstream):
    """Outputs, gradients (input, gamma, beta) and moving statistics after one training call."""
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = layer(inputs, training=True)
        loss = tf.reduce_sum(tf.cast(outputs, tf.float32) * upstream)
    grads = tape.gradient(loss, [inputs, layer.gamma, layer.beta])
    return [np.asarray(tf.cast(t, tf.float32)) for t in [outputs, *grads]] + [
        layer.moving_mean.numpy(),
        layer.moving_variance.numpy(),
    ]


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_matches_keras_batch_norm_in_half_precision(policy, monkeypatch):
    fused_kernel, calls = tf.raw_ops.FusedBatchNormV3, []
    monkeypatch.setattr(
        tf.raw_ops, "FusedBatchNormV3", lambda **kw: calls.append(1) or fused_kernel(**kw)
    )
    rng = np.random.default_rng(1)
    compute = keras.DTypePolicy(policy).compute_dtype
    inputs = tf.cast(rng.normal(2.0, 3.0, SHAPE).astype("float32"), compute)
    upstream = tf.constant(rng.normal(size=SHAPE).astype("float32"))
    keras_layer, fused = _pair(policy)
    expected = _step(keras_layer, inputs, upstream)
    actual = _step(fused, inputs, upstream)
    # Outputs and input gradients are rounded to 16 bits; the statistics are float32 sums.
    tolerances = [0.05, 0.05, 0.02, 0.02, 1e-4, 1e-4]
    names = ["outputs", "input grad", "gamma grad", "beta grad", "moving mean", "moving var"]
    for name, a, e, tol in zip(names, actual, expected, tolerances):
        np.testing.assert_allclose(a, e, rtol=tol, atol=tol, err_msg=name)
    assert calls == [1]  # our layer ran the fused kernel, Keras's did not
    assert fused(inputs, training=True).dtype == compute


def test_the_moving_variance_is_the_biased_one():
    # By hand: one channel, values 0 and 2 -> mean 1, biased variance 1 (unbiased 2).
    layer = FusedBatchNormalization(momentum=0.5, epsilon=1e-3, dtype="mixed_bfloat16")
    layer(tf.zeros((2, 1, 1, 1), tf.bfloat16), training=False)
    layer(tf.constant([0.0, 2.0], tf.bfloat16)[:, None, None, None], training=True)
    # moving = 0.5 * initial (0 and 1) + 0.5 * batch (1 and 1).
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.5])
    np.testing.assert_allclose(layer.moving_variance.numpy(), [1.0])


def test_float32_inference_and_other_ranks_run_keras_code(monkeypatch):
    calls = []
    monkeypatch.setattr(tf.raw_ops, "FusedBatchNormV3", lambda **kw: calls.append(kw))
    layer = FusedBatchNormalization()
    layer(tf.ones(SHAPE), training=True)
    half = FusedBatchNormalization(dtype="mixed_bfloat16")
    half(tf.ones(SHAPE, tf.bfloat16), training=False)
    sequence = FusedBatchNormalization(dtype="mixed_bfloat16")
    sequence(tf.ones((2, 3, 4), tf.bfloat16), training=True)
    assert calls == []


def test_synchronized_on_two_replicas_keeps_cross_replica_statistics(two_replica_strategy):
    # Two CPU replicas, each holding one half of the batch: fused per-replica statistics would
    # normalise each half with its own mean; Keras's all-reduce uses the global one.
    strategy = two_replica_strategy
    with strategy.scope():
        layer = FusedBatchNormalization(synchronized=True, dtype="mixed_bfloat16", center=False)
        layer.build((None, 1, 1, 1))
    halves = [tf.fill((2, 1, 1, 1), 0.0), tf.fill((2, 1, 1, 1), 2.0)]
    data = strategy.experimental_distribute_values_from_function(
        lambda context: tf.cast(halves[context.replica_id_in_sync_group], tf.bfloat16)
    )
    outputs = strategy.run(lambda x: tf.cast(layer(x, training=True), tf.float32), (data,))
    values = [np.asarray(v).ravel() for v in strategy.experimental_local_results(outputs)]
    np.testing.assert_allclose(values, [[-1.0] * 2, [1.0] * 2], atol=0.01)


def test_round_trip_keeps_the_class_and_config(tmp_path):
    inputs = keras.Input((4, 4, 2))
    model = keras.Model(inputs, FusedBatchNormalization(momentum=0.8, synchronized=True)(inputs))
    path = str(tmp_path / "bn.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    layer = loaded.layers[-1]
    assert type(layer) is FusedBatchNormalization
    assert (layer.momentum, layer.synchronized) == (0.8, True)
