"""The learning-rate schedule: constant, then linear decay to zero; serialisable."""

import keras
import numpy as np
import pytest

from keras_gans.models.cyclegan import ConstantThenLinearDecay
from keras_gans.models.cyclegan.spec import learning_rate as cyclegan_learning_rate
from keras_gans.training import TrainConfig


def test_values_at_chosen_steps():
    # 10 steps per epoch, 100 constant epochs, 100 decay epochs (the paper's 200 epochs).
    schedule = ConstantThenLinearDecay(
        2e-4, steps_per_epoch=10, constant_epochs=100, decay_epochs=100
    )
    steps = [0, 999, 1000, 1250, 1500, 1990, 2000, 5000]
    expected = [2e-4, 2e-4, 2e-4, 1.5e-4, 1e-4, 2e-4 * 10 / 1000, 0.0, 0.0]
    np.testing.assert_allclose([float(schedule(s)) for s in steps], expected, rtol=1e-5, atol=1e-12)
    constant = ConstantThenLinearDecay(1e-3, steps_per_epoch=5, constant_epochs=3, decay_epochs=0)
    assert float(constant(10_000)) == pytest.approx(1e-3)


def test_serialises_alone_and_inside_adam():
    schedule = ConstantThenLinearDecay(2e-4, steps_per_epoch=7, constant_epochs=2, decay_epochs=3)
    restored = keras.optimizers.schedules.deserialize(
        keras.optimizers.schedules.serialize(schedule)
    )
    assert (
        isinstance(restored, ConstantThenLinearDecay)
        and restored.get_config() == schedule.get_config()
    )
    optimizer = keras.optimizers.deserialize(
        keras.optimizers.serialize(keras.optimizers.Adam(schedule))
    )
    optimizer.iterations.assign(14 + 7)  # one epoch into the decay: 2/3 of the rate left
    assert float(optimizer.learning_rate) == pytest.approx(2e-4 * 2 / 3, rel=1e-5)


def resolve(**fields):
    return TrainConfig(model="cyclegan", **fields).resolved()


def test_training_spec_builds_it_from_the_config():
    config = resolve(epochs=6, decay_epochs=2)
    assert config.loss == "least_squares" and config.dataset == "textures"
    # The steps per epoch are the fit's (train.steps_per_epoch), not recomputed from the data.
    schedule = cyclegan_learning_rate(config, 37)
    assert schedule.get_config() == {
        "initial_learning_rate": 1e-3,
        "steps_per_epoch": 37,
        "constant_epochs": 4,
        "decay_epochs": 2,
    }


def test_a_decay_not_given_follows_the_epochs():
    # The paper decays over the second half: 100 of 200 epochs.
    assert [resolve(epochs=epochs).decay_epochs for epochs in (1, 2, 7, 10, 200)] == [
        0,
        1,
        3,
        5,
        100,
    ]
    assert resolve().decay_epochs == 15  # the preset's 30 epochs
    assert resolve(epochs=3, decay_epochs=3).decay_epochs == 3
    assert resolve(epochs=3, decay_epochs=0).decay_epochs == 0
    # Resolving twice (a saved config read back) changes nothing.
    assert resolve(epochs=7).resolved() == resolve(epochs=7)


def test_an_explicit_decay_longer_than_the_run_is_refused():
    with pytest.raises(
        ValueError, match=r"^decay_epochs must be at most epochs \(6\); received 7\.$"
    ):
        resolve(epochs=6, decay_epochs=7)
    with pytest.raises(
        ValueError, match=r"^decay_epochs must be at most epochs \(30\); received 31\.$"
    ):
        resolve(decay_epochs=31)  # against the preset's epochs


def test_bad_arguments():
    with pytest.raises(ValueError, match="steps_per_epoch must be an integer >= 1; received 0"):
        ConstantThenLinearDecay(1e-3, 0, 1, 1)
    with pytest.raises(ValueError, match="initial_learning_rate must be positive; received -1"):
        ConstantThenLinearDecay(-1, 1, 1, 1)
