"""`train(config)`: the run folder, checkpoints, config validation and presets."""

import dataclasses
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.training import TrainConfig, get_spec, make_strategy, train
from keras_gans.training.train import build_and_compile

# What `train` handed to `fit`, recorded by the fixture below.
FIT_STREAM = {}


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    config = TrainConfig(
        model="cgan",
        epochs=2,
        steps_per_epoch=3,
        batch_size=16,
        output_dir=str(out),
        export=False,
        evaluate=False,
        verbose=0,
    )
    fit = keras.Model.fit

    def recording_fit(model, x=None, *args, **kwargs):
        FIT_STREAM["autotune"] = x.options().autotune.enabled
        return fit(model, x, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keras.Model, "fit", recording_fit)
        return train(config)


def test_training_stream_has_no_autotuning_thread(cgan_run):
    # Destroying its iterator after the last epoch waited for that thread (up to a minute).
    assert FIT_STREAM["autotune"] is False


def test_run_folder_holds_everything(cgan_run):
    out = cgan_run.output_dir
    for name in ("model.keras", "generator.keras", "metrics.json", "config.json"):
        assert os.path.isfile(os.path.join(out, name)), name
    assert sorted(os.listdir(os.path.join(out, "samples"))) == ["epoch_0001.png", "epoch_0002.png"]
    grid = tf.io.decode_png(tf.io.read_file(cgan_run.files["last_grid"])).numpy()
    # 10 classes x 8 samples of 16x16 with 1-pixel gutters, enlarged to at least 512 wide.
    assert grid.shape[1] >= 512 and grid.shape[0] > grid.shape[1]
    metrics = json.load(open(os.path.join(out, "metrics.json")))
    assert np.isfinite(metrics["d_loss"]) and np.isfinite(metrics["g_loss"])
    assert metrics["epochs"] == 2
    assert os.listdir(os.path.join(out, "logs"))


def test_saved_config_is_the_resolved_preset(cgan_run):
    saved = json.load(open(os.path.join(cgan_run.output_dir, "config.json")))
    assert saved["image_size"] == 16 and saved["latent_dim"] == 64 and saved["dataset"] == "digits"
    assert saved["sample_every"] == 1


def test_checkpoint_restores_networks_and_both_optimizers(cgan_run):
    config = cgan_run.config
    spec = get_spec("cgan")
    _, info = spec.make_dataset(config, 1)
    fresh = build_and_compile(dataclasses.replace(config, seed=99), info, make_strategy("default"))
    epoch = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(weights=list(fresh.weights), epoch=epoch, **fresh.optimizers())
    checkpoint.restore(tf.train.latest_checkpoint(os.path.join(config.output_dir, "checkpoints")))
    assert int(epoch) == 2
    assert int(fresh.g_optimizer.iterations) == int(cgan_run.model.g_optimizer.iterations) == 6
    for restored, trained in zip(fresh.weights, cgan_run.model.weights):
        np.testing.assert_array_equal(np.asarray(restored), np.asarray(trained))
    for restored, trained in zip(fresh.d_optimizer.variables, cgan_run.model.d_optimizer.variables):
        np.testing.assert_array_equal(np.asarray(restored), np.asarray(trained))


def test_saved_generator_reproduces_samples(cgan_run):
    generator = keras.saving.load_model(cgan_run.files["generator"])
    noise = np.random.default_rng(0).normal(size=(4, 64)).astype(np.float32)
    labels = np.array([1, 3, 5, 7], np.int32)
    np.testing.assert_array_equal(
        np.asarray(generator([noise, labels])), cgan_run.model.sample(noise=noise, labels=labels)
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": 0}, "epochs must be a positive integer; received 0"),
        (
            {"strategy": "tpu"},
            "strategy must be one of default, mirrored, multiworker; received 'tpu'",
        ),
        ({"loss": "wgan"}, "loss must be one of minimax, non_saturating"),
        ({"channels": 2}, "channels must be 1 or 3; received 2"),
        ({"beta_1": 1.0}, r"beta_1 must lie in \[0, 1\); received 1.0"),
        ({"beta_2": -0.1}, r"beta_2 must lie in \[0, 1\); received -0.1"),
        ({"eval_samples": 1}, "eval_samples must be an integer >= 2; received 1"),
        ({"checkpoint_seconds": -1}, "checkpoint_seconds must be a number >= 0; received -1"),
        ({"checkpoint_seconds": "30"}, "checkpoint_seconds must be a number >= 0; received '30'"),
        (
            {"steps_per_execution": 0},
            "steps_per_execution must be a positive integer or 'epoch'; received 0.",
        ),
        (
            {"steps_per_execution": "all"},
            "steps_per_execution must be a positive integer or 'epoch'; received 'all'.",
        ),
        (
            {"steps_per_execution": True},
            "steps_per_execution must be a positive integer or 'epoch'; received True.",
        ),
        ({"jit_compile": "yes"}, "jit_compile must be True or False; received 'yes'."),
        ({"model": "stackgan", "kl_weight": -1}, "kl_weight must be a number >= 0; received -1"),
        (
            {"model": "stackgan", "kl_weight": "2"},
            "kl_weight must be a number >= 0; received '2'",
        ),
        ({"kl_weight": 2.0}, "--kl_weight applies to stackgan only; received --model=cgan"),
        (
            {"model": "stackgan", "minibatch_std": 1},
            "minibatch_std must be an integer >= 2; received 1.",
        ),
        ({"model": "stackgan", "refine": 1}, "refine must be True or False; received 1."),
        (
            {"model": "stackgan", "stage2_epochs": 0},
            "stage2_epochs must be a positive integer; received 0.",
        ),
        ({"stage2_epochs": 5}, "--stage2_epochs applies to stackgan only; received --model=cgan"),
    ],
)
def test_config_rejects_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)


def test_unknown_model_lists_choices():
    with pytest.raises(ValueError, match="Unknown model 'vae'; expected one of gan, cgan, dcgan"):
        get_spec("vae")


def test_defaults_fill_only_unset_fields():
    config = TrainConfig(model="dcgan", epochs=3).resolved()
    assert config.epochs == 3 and config.image_size == 32 and config.base_filters == 32
    assert config.output_dir == "runs/dcgan" and config.sample_every == 1


def test_stage2_epochs_count_for_stage_2_unless_epochs_alone_was_given():
    # The stackgan preset: epochs 20, stage2_epochs 10.
    def epochs(**kwargs):
        return TrainConfig(model="stackgan", **kwargs).resolved().epochs

    assert (epochs(stage=1), epochs(stage=2)) == (20, 10)
    assert (epochs(stage=2, epochs=7), epochs(stage=1, epochs=7)) == (7, 7)
    assert epochs(stage=2, epochs=7, stage2_epochs=3) == 3
    assert epochs(stage=1, stage2_epochs=3) == 20


def test_batch_size_must_be_a_multiple_of_minibatch_std():
    with pytest.raises(ValueError) as error:
        TrainConfig(model="stackgan", batch_size=30, minibatch_std=4).resolved()
    assert str(error.value) == (
        "batch_size must be a multiple of minibatch_std (its groups); received batch_size=30, "
        "minibatch_std=4."
    )


def test_empty_folder_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    config = TrainConfig(
        model="gan", dataset=f"folder:{empty}", epochs=1, output_dir=str(tmp_path / "o")
    )
    with pytest.raises(ValueError, match="empty"):
        train(config)
    assert not (tmp_path / "o").exists()
