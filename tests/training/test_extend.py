"""Extending a run with more `--epochs`, and starting one from another's networks
(`--init_from`)."""

import os
import re
import shutil

import numpy as np
import pytest

from keras_gans.models.cyclegan.spec import learning_rate as cyclegan_learning_rate
from keras_gans.registry import get_spec
from keras_gans.training import TrainConfig, train, warm_start
from keras_gans.training.build import build_and_compile
from keras_gans.training.strategy import make_strategy

QUIET = dict(export=False, evaluate=False, verbose=0)
TINY_GAN = dict(model="gan", steps_per_epoch=2, deterministic=True, seed=5, **QUIET)
# Without the dcgan preset's XLA compile and per-epoch calls, which these tests are not about.
PLAIN_STEP = dict(jit_compile=False, steps_per_execution=1)
TINY_DCGAN = dict(
    model="dcgan", base_filters=8, batch_size=16, steps_per_epoch=2, **PLAIN_STEP, **QUIET
)
TINY_CYCLEGAN = dict(
    model="cyclegan", batch_size=2, base_filters=4, residual_blocks=1, steps_per_epoch=2, **QUIET
)


def weights(model):
    return [np.asarray(w) for w in model.weights]


def test_more_epochs_continue_the_run_to_a_straight_runs_weights(tmp_path):
    straight = train(TrainConfig(epochs=2, output_dir=str(tmp_path / "straight"), **TINY_GAN))
    extended_dir = str(tmp_path / "extended")
    train(TrainConfig(epochs=1, output_dir=extended_dir, **TINY_GAN))
    extended = train(TrainConfig(epochs=2, output_dir=extended_dir, **TINY_GAN))
    assert int(extended.model.g_optimizer.iterations) == 4  # 2 epochs of 2 steps, not 1 + 2
    assert extended.history["d_loss"] and len(extended.history["d_loss"]) == 1
    for a, b in zip(weights(straight.model), weights(extended.model)):
        np.testing.assert_array_equal(a, b)
    # Fewer epochs than the checkpoint holds cannot continue it.
    with pytest.raises(ValueError) as error:
        train(TrainConfig(epochs=1, output_dir=extended_dir, **TINY_GAN))
    assert str(error.value) == (
        f"refusing to resume the run in {extended_dir}: it has trained 2 epochs, more than "
        "--epochs=1. Give --epochs=2 or more to continue it, or another --output_dir to start "
        "anew."
    )


def test_a_continued_cyclegan_decays_over_the_new_totals_last_half(tmp_path):
    out = str(tmp_path / "run")
    first = train(TrainConfig(epochs=2, output_dir=out, **TINY_CYCLEGAN))
    assert first.config.decay_epochs == 1
    continued = train(TrainConfig(epochs=4, output_dir=out, **TINY_CYCLEGAN))
    assert continued.config.decay_epochs == 2
    assert int(continued.model.g_optimizer.iterations) == 8
    fresh = cyclegan_learning_rate(TrainConfig(epochs=4, **TINY_CYCLEGAN).resolved(), 2)
    # From the resume point (step 4) on: 2 epochs of 2 steps constant, then 4 steps of decay.
    steps = range(4, 9)
    rates = [float(continued.model.g_optimizer._learning_rate(s)) for s in steps]
    np.testing.assert_allclose(rates, [float(fresh(s)) for s in steps], rtol=0, atol=0)
    np.testing.assert_allclose(rates, [1e-3, 7.5e-4, 5e-4, 2.5e-4, 0.0], rtol=1e-6, atol=1e-12)
    # The run of 2 epochs had decayed to 0 by step 4.
    assert float(first.model.g_optimizer._learning_rate(4)) == 0.0


def test_init_from_loads_the_networks_exactly_with_fresh_optimizers(tmp_path):
    source = str(tmp_path / "source")
    trained = train(TrainConfig(epochs=1, output_dir=source, **TINY_DCGAN))
    expected = [np.asarray(v) for v in warm_start.network_variables(trained.model)]
    config = TrainConfig(
        epochs=1,
        seed=9,
        ema_decay=0.9,
        init_from=source,
        output_dir=str(tmp_path / "new"),
        **TINY_DCGAN,
    ).resolved()
    _, info = get_spec("dcgan").make_dataset(config, 1)
    for origin in ("model.keras", "checkpoint"):
        if origin == "checkpoint":  # an interrupted run: no model.keras yet
            os.remove(os.path.join(source, "model.keras"))
        model = build_and_compile(config, info, make_strategy("default"))
        warm_start.load_networks(model, warm_start.open_run(config))
        loaded = [np.asarray(v) for v in warm_start.network_variables(model)]
        assert len(loaded) == len(expected) == 31  # 8 BatchNorms' statistics among them
        for a, b in zip(expected, loaded):
            np.testing.assert_array_equal(a, b)
        assert int(model.g_optimizer.iterations) == int(model.d_optimizer.iterations) == 0
        # The moving average restarts at the loaded generator, not at seed 9's.
        for average, variable in zip(model._ema_weights, model._ema_sources()):
            np.testing.assert_array_equal(np.asarray(average), np.asarray(variable))


def replica_values(variable):
    """Each replica's copy of a Keras variable (its TensorFlow variable is mirrored under a
    MirroredStrategy), or the one value of a plain one."""
    value = variable.value
    return [np.asarray(v) for v in getattr(value, "values", [value])]


def test_init_from_loads_every_replicas_copy_under_mirrored(tmp_path, two_replica_strategy):
    source = str(tmp_path / "source")
    trained = train(TrainConfig(epochs=1, output_dir=source, **TINY_DCGAN))
    expected = [np.asarray(v) for v in warm_start.network_variables(trained.model)]
    config = TrainConfig(
        epochs=1, init_from=source, output_dir=str(tmp_path / "new"), **TINY_DCGAN
    ).resolved()
    _, info = get_spec("dcgan").make_dataset(config, 1)
    model = build_and_compile(config, info, two_replica_strategy)
    warm_start.load_networks(model, warm_start.open_run(config))
    loaded = warm_start.network_variables(model)
    assert len(loaded) == len(expected) == 31
    for value, variable in zip(expected, loaded):
        copies = replica_values(variable)
        assert len(copies) == 2, variable.path  # mirrored: one copy per replica
        for copy in copies:
            np.testing.assert_array_equal(copy, value)


def test_a_run_started_from_another_trains_on_from_its_weights(tmp_path):
    source = str(tmp_path / "source")
    first = train(TrainConfig(epochs=1, output_dir=source, **TINY_DCGAN))
    second = train(
        TrainConfig(
            epochs=1, seed=9, init_from=source, output_dir=str(tmp_path / "new"), **TINY_DCGAN
        )
    )
    assert int(second.model.g_optimizer.iterations) == 2
    # Two Adam steps at 2e-4 move each weight by about 4e-4; seed 9's own start is far away.
    before = warm_start.network_variables(first.model)
    after = warm_start.network_variables(second.model)
    trainable = [i for i, v in enumerate(before) if v.trainable]
    assert max(float(np.max(np.abs(before[i] - after[i]))) for i in trainable) < 1e-3


def test_init_from_refusals(tmp_path):
    source = str(tmp_path / "source")
    train(TrainConfig(epochs=1, output_dir=source, **TINY_DCGAN))
    wider = {**TINY_DCGAN, "base_filters": 16}
    with pytest.raises(ValueError) as error:
        train(TrainConfig(epochs=1, init_from=source, output_dir=str(tmp_path / "b"), **wider))
    # Keras numbers the layer by how many it made before: the rest of the message is fixed.
    assert re.fullmatch(
        re.escape(f"refusing --init_from={source}: generator variable ")
        + r"dense(_\d+)?/kernel"
        + re.escape(" has shape (100, 512) there and (100, 1024) here."),
        str(error.value),
    ), str(error.value)
    with pytest.raises(ValueError) as error:
        train(TrainConfig(model="gan", init_from=source, output_dir=str(tmp_path / "c"), **QUIET))
    assert str(error.value) == (
        f"refusing --init_from={source}: it holds a dcgan run; this run trains gan."
    )
    # A folder that holds a run resumes it; its checkpoint, not another run, seeds the networks.
    resumable = str(tmp_path / "resumable")
    shutil.copytree(source, resumable)
    with pytest.raises(ValueError) as error:
        train(TrainConfig(epochs=2, init_from=source, output_dir=resumable, **TINY_DCGAN))
    assert str(error.value) == (
        f"refusing --init_from={source}: {resumable} already holds a run to resume (its "
        "checkpoints/). Drop --init_from to resume it, or give another --output_dir to start anew."
    )
