"""Shared checks for every training model (keras-hub's TestCase idea, as plain functions)."""

import json
from typing import NamedTuple

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
    """`.keras` round trip: same class, config and outputs, every optimizer variable equal."""
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
        for side in ("d_optimizer", "g_optimizer"):
            saved, loaded = getattr(model, side).variables, getattr(restored, side).variables
            assert len(loaded) == len(saved), side
            for a, b in zip(saved, loaded):
                np.testing.assert_array_equal(np.asarray(b), np.asarray(a), err_msg=a.path)
    return restored


def run_config_round_trip(model, inputs):
    """`from_config(get_config())` rebuilds the architecture; equal weights give equal outputs."""
    clone = type(model).from_config(model.get_config())
    assert same_config(clone.get_config(), model.get_config())
    if model.compiled:  # compiling adds the EMA weights of a model that keeps them
        clone.compile_from_config(model.get_compile_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(np.asarray(clone(inputs)), np.asarray(model(inputs)), atol=0, rtol=0)


class DistributionRun(NamedTuple):
    """What `run_distribution_equality` trained and measured.

    Attributes:
        single: The one-device model after its steps.
        distributed: The model trained under the strategy.
        initial: The weights both started from, in `model.weights` order.
        difference: Max weight difference between `single` and `distributed`.
        updates: Max weight change of each side on one device,
            `{"discriminator": .., "generator": ..}`.
    """

    single: keras.Model
    distributed: keras.Model
    initial: list
    difference: float
    updates: dict


def side_updates(model, initial):
    """Max absolute change of each side's trainable weights since `initial` (`model.weights`
    order)."""
    before = {id(v): b for v, b in zip(model.weights, initial)}
    return {
        side: max(float(np.max(np.abs(np.array(v) - before[id(v)]))) for v in variables)
        for side, variables in (
            ("discriminator", model.discriminator_variables()),
            ("generator", model.generator_variables()),
        )
    }


def train_sgd(build, dataset, steps, optimizer, strategy=None, ema_decay=None):
    """`(model, initial weights)`: `build()` seeded, compiled with `optimizer()` for both players
    (and `ema_decay`) under `strategy` (default: one device), trained `steps` steps on `dataset`
    repeated."""
    with (strategy or tf.distribute.get_strategy()).scope():
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(d_optimizer=optimizer(), g_optimizer=optimizer(), ema_decay=ema_decay)
    initial = weights_of(model)
    model.fit(dataset.repeat(), epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
    return model, initial


def train_both(build, dataset, strategy, steps, optimizer, ema_decay=None):
    """The same seeded model trained `steps` steps on one device and under `strategy`.

    Returns:
        `(single, distributed, initial)`, `initial` being the weights before training.
    """
    single, initial = train_sgd(build, dataset, steps, optimizer, ema_decay=ema_decay)
    distributed, _ = train_sgd(build, dataset, steps, optimizer, strategy, ema_decay)
    return single, distributed, initial


def assert_both_networks_moved(model, initial):
    """Every trainable weight of both players differs from `initial` (`model.weights` order)."""
    before = {id(v): b for v, b in zip(model.weights, initial)}
    for label, variables in (
        ("generator", model.generator_variables()),
        ("discriminator", model.discriminator_variables()),
    ):
        unchanged = [v.path for v in variables if np.array_equal(np.array(v), before[id(v)])]
        assert not unchanged, f"{label} weights did not change: {unchanged}"


def run_distribution_equality(
    build, dataset, strategy, steps=3, learning_rate=0.1, atol=1e-5, ema_decay=None
):
    """`steps` SGD steps on one device equal as many under `strategy` on the same global batches.

    Plain SGD moves every weight by `learning_rate * g`, so the comparison sees the gradient's
    scale: a gradient 2x too large on some replicas (a wrong global-batch division, a changed
    all-reduce) moves some weight by about half its update or more. Adam would hide that: its
    first step is about `lr * sign(g)`. Every weight is compared, BatchNorm statistics included,
    and every replica's copy must agree. Each side must move by at least `100 * atol` on one
    device, so that such an error lies far above `atol`.

    Args:
        build: Builds the uncompiled model (called under each strategy's scope, seeded alike).
        dataset: Global batches; repeated, so one batch is enough.
        strategy: The `tf.distribute` strategy compared with one device.
        steps: Training steps on each side of the comparison.
        learning_rate: SGD learning rate of both players.
        atol: Largest allowed weight difference.
        ema_decay: Compile both with this EMA decay: the averages are weights, compared too.

    Returns:
        A `DistributionRun`.
    """
    single, distributed, initial = train_both(
        build, dataset, strategy, steps, lambda: keras.optimizers.SGD(learning_rate), ema_decay
    )
    updates = side_updates(single, initial)
    for side, update in updates.items():
        assert update >= 100 * atol, (
            f"the {side} moved by only {update:.2e} in {steps} steps: raise learning_rate so that "
            f"a wrong gradient scale exceeds atol={atol}"
        )
    differences = [
        (float(np.max(np.abs(np.array(a) - np.array(b)))), a.path)
        for a, b in zip(single.weights, distributed.weights)
    ]
    difference, worst = max(differences)
    assert difference < atol, (
        f"1 vs {strategy.num_replicas_in_sync} replicas differ by {difference:.3e} after {steps} "
        f"SGD steps, most in {worst} (largest update {max(updates.values()):.3e})"
    )
    replica_copies_agree(distributed, strategy)
    return DistributionRun(single, distributed, initial, difference, updates)


def replica_copies_agree(model, strategy):
    """Every variable (BatchNorm statistics included) holds the same value on every replica."""
    for variable in model.weights:
        copies = strategy.experimental_local_results(variable.value)
        for copy in copies[1:]:
            np.testing.assert_array_equal(
                np.asarray(copies[0]), np.asarray(copy), err_msg=variable.path
            )


def tiny_embedding_stackgan():
    """A tiny Stage-I StackGAN conditioned on 6-d precomputed text embeddings (no text encoder)."""
    from keras_gans.models import StackGAN

    return StackGAN.build(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        condition_dim=4,
        embedding_dim=6,
        base_filters=4,
        minibatch_std=2,  # the tests' batches of 2
    )
