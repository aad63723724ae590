"""Shared checks for every training model (keras-hub's TestCase idea, as plain functions)."""

import json

import keras
import numpy as np
import tensorflow as tf


def same_config(first, second):
    """Configs equal once serialised (JSON turns tuples into lists)."""
    return json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def weights_of(model):
    return [np.array(w) for w in model.weights]


def max_weight_difference(first, second):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(first, second))


def fit_one_epoch(model, dataset):
    return model.fit(dataset, epochs=1, verbose=0, shuffle=False).history


def run_fit_changes_both_networks(model, dataset):
    """One epoch gives finite losses and moves every trainable weight of both players."""
    before_g = [np.array(v) for v in model.generator_variables()]
    before_d = [np.array(v) for v in model.discriminator_variables()]
    history = fit_one_epoch(model, dataset)
    for name, values in history.items():
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    assert {"d_loss", "g_loss"} <= set(history)
    for label, before, variables in (
        ("generator", before_g, model.generator_variables()),
        ("discriminator", before_d, model.discriminator_variables()),
    ):
        unchanged = [v.path for v, b in zip(variables, before) if np.array_equal(np.array(v), b)]
        assert not unchanged, f"{label} weights did not change: {unchanged}"
    return history


def run_saving_test(model, tmp_path, inputs):
    """`.keras` round trip: same class, same config, same outputs, same optimizer state."""
    path = str(tmp_path / "model.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(model)
    assert same_config(restored.get_config(), model.get_config())
    np.testing.assert_allclose(
        np.asarray(restored(inputs)), np.asarray(model(inputs)), atol=0, rtol=0
    )
    if model.compiled:
        assert restored.compiled
        assert int(restored.d_optimizer.iterations) == int(model.d_optimizer.iterations)
    return restored


def run_config_round_trip(model, inputs):
    """`from_config(get_config())` rebuilds the same architecture; equal outputs with equal weights."""
    clone = type(model).from_config(model.get_config())
    assert same_config(clone.get_config(), model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(np.asarray(clone(inputs)), np.asarray(model(inputs)), atol=0, rtol=0)


def run_distribution_equality(build, dataset, strategy, atol=1e-5, optimizer=None):
    """One fit step on one device equals the same step under `strategy` on the same global batch.

    `optimizer` (a factory, called once per player) replaces the default Adam: Adam's first step
    is about lr * sign(g), so a gradient element within rounding of zero can move by 2 * lr
    between replica counts; SGD keeps the comparison exact for large networks.
    """
    results = []
    for scope in (tf.distribute.get_strategy(), strategy):
        with scope.scope():
            keras.utils.set_random_seed(7)
            model = build()
            if optimizer is None:
                model.compile()
            else:
                model.compile(d_optimizer=optimizer(), g_optimizer=optimizer())
        model.fit(dataset, epochs=1, steps_per_epoch=1, verbose=0, shuffle=False)
        results.append(model)
    single, distributed = results
    difference = max_weight_difference(weights_of(single), weights_of(distributed))
    assert difference < atol, f"1 vs {strategy.num_replicas_in_sync} replicas differ by {difference}"
    return single, distributed, difference


def replica_copies_agree(model, strategy):
    """Every variable (BatchNorm statistics included) holds the same value on every replica."""
    for variable in model.weights:
        copies = strategy.experimental_local_results(variable.value)
        for copy in copies[1:]:
            np.testing.assert_array_equal(np.asarray(copies[0]), np.asarray(copy), err_msg=variable.path)
