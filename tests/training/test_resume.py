"""Resume after SIGKILL, refusal of changed flags, the NaN guard and determinism."""

import dataclasses
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import registry
from keras_gans.data import dataset_from_arrays
from keras_gans.models import GAN
from keras_gans.training import TrainConfig, resume, train
from keras_gans.training import callbacks as callbacks_lib

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
RUN = [
    "--model=gan",
    "--epochs=6",
    "--deterministic",
    "--noexport",
    "--noevaluate",
    "--verbose=0",
    "--seed=3",
]


def cli(output_dir, *extra):
    return [
        sys.executable,
        "-m",
        "keras_gans.flags.train",
        *RUN,
        *extra,
        f"--output_dir={output_dir}",
    ]


def final_weights(output_dir):
    return [
        np.asarray(w)
        for w in keras.saving.load_model(os.path.join(output_dir, "model.keras")).weights
    ]


# 2 executions of 7 steps make the digits' 14-step epoch: the resume skip stays exact. (One
# step per execution is the same path with a smaller skip; this case covers both.)
def test_sigkill_mid_epoch_then_resume_equals_uninterrupted_run(tmp_path):
    extra = ("--steps_per_execution=7", "--checkpoint_seconds=0")
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    first = subprocess.run(
        cli(straight, *extra), env=ENV, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr

    process = subprocess.Popen(
        cli(killed, *extra), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    index = killed / "checkpoints" / "checkpoint"
    deadline = time.time() + 240
    while time.time() < deadline and not (index.exists() and "ckpt-2" in index.read_text()):
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)  # somewhere in epoch 3
    process.wait()
    assert index.exists() and not (killed / "model.keras").exists()

    again = subprocess.run(
        cli(killed, *extra), env=ENV, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert "Resuming" in again.stderr
    difference = max(
        float(np.max(np.abs(a - b))) for a, b in zip(final_weights(straight), final_weights(killed))
    )
    assert difference < 1e-6


def test_changed_flags_are_refused_by_name(tmp_path):
    config = TrainConfig(
        model="gan",
        epochs=1,
        steps_per_epoch=2,
        export=False,
        evaluate=False,
        verbose=0,
        output_dir=str(tmp_path),
    )
    train(config)
    changed = TrainConfig(
        model="gan",
        epochs=2,
        steps_per_epoch=2,
        export=False,
        evaluate=False,
        verbose=0,
        output_dir=str(tmp_path),
        learning_rate=1e-3,
    )
    with pytest.raises(
        ValueError,
        match=r"flags differ from the saved run: --learning_rate \(saved 0.0002, now 0.001\)\.",
    ):
        train(changed)
    # Presentation flags may change: the finished run is simply found complete.
    again = train(
        TrainConfig(
            model="gan",
            epochs=1,
            steps_per_epoch=2,
            export=False,
            evaluate=False,
            verbose=2,
            output_dir=str(tmp_path),
        )
    )
    assert int(again.model.g_optimizer.iterations) == 2


def test_nan_loss_stops_names_step_and_keeps_last_good_checkpoint(tmp_path, monkeypatch):
    images = np.random.default_rng(0).uniform(-1, 1, (32, 16, 16, 1)).astype(np.float32)
    poisoned = images.copy()
    poisoned[16:] = np.nan  # the second epoch's batches

    def make_dataset(config, num_replicas):
        from keras_gans.data import DatasetInfo

        data = dataset_from_arrays(poisoned, batch_size=16, shuffle=False)
        return data, DatasetInfo(num_examples=16, num_classes=None, image_size=16, channels=1)

    spec = registry.get_spec("gan")
    monkeypatch.setitem(
        registry._SPECS, "gan", dataclasses.replace(spec, make_dataset=make_dataset)
    )
    config = TrainConfig(
        model="gan",
        epochs=3,
        batch_size=16,
        output_dir=str(tmp_path),
        verbose=0,
        checkpoint_seconds=0,
    )
    with pytest.raises(
        ValueError,
        match=r"training stopped at step 2: d_loss became nan\. The last good checkpoint stays",
    ):
        train(config)
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-1")
    # With the default 30 s between checkpoints, none was due after the 1-step first epoch.
    late = dataclasses.replace(config, output_dir=str(tmp_path / "late"), checkpoint_seconds=30)
    with pytest.raises(
        ValueError,
        match=r"d_loss became nan\. No checkpoint was due yet \(--checkpoint_seconds=30\)",
    ):
        train(late)
    assert not (tmp_path / "model.keras").exists() and not (tmp_path / "export").exists()
    # The run asked for an evaluation (the default); a stopped run gets none.
    assert not (tmp_path / "metrics.json").exists()


def test_checkpoint_callback_skips_non_finite_epochs(tmp_path):
    model = GAN.build((8, 8, 1), latent_dim=4)
    model.compile()
    checkpoint = resume.make_checkpoint(model, tf.Variable(0, dtype=tf.int64))
    callback = callbacks_lib.Checkpoint(checkpoint, str(tmp_path))
    callback.on_epoch_end(0, {"d_loss": 1.0})
    callback.on_epoch_end(1, {"d_loss": float("inf")})
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("ckpt-1")


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_checkpoints_are_throttled_but_the_last_epoch_and_a_stop_are_saved(tmp_path):
    model = GAN.build((8, 8, 1), latent_dim=4)
    model.compile()
    clock = FakeClock()
    callback = callbacks_lib.Checkpoint(
        resume.make_checkpoint(model, tf.Variable(0, dtype=tf.int64)),
        str(tmp_path),
        max_to_keep=None,
        every_seconds=25,
        clock=clock,
    )
    callback.set_model(model)
    callback.set_params({"epochs": 6})
    callback.on_train_begin()
    for epoch in range(6):
        clock.now += 10  # ten seconds per epoch
        model.stop_training = epoch == 3
        callback.on_epoch_end(epoch, {"d_loss": 1.0})
    model.stop_training = False
    saved = [int(path.rsplit("-", 1)[1]) for path in callback.manager.checkpoints]
    # 30 s > 25 s after epoch 3; epoch 4 stops training; epoch 6 is the last.
    assert saved == [3, 4, 6]


def test_deterministic_runs_are_identical(tmp_path):
    weights = []
    for name in ("a", "b"):
        result = train(
            TrainConfig(
                model="dcgan",
                epochs=1,
                steps_per_epoch=3,
                batch_size=16,
                base_filters=8,
                deterministic=True,
                jit_compile=False,  # the preset's XLA: Keras turns it off when deterministic
                export=False,
                evaluate=False,
                verbose=0,
                output_dir=str(tmp_path / name),
            )
        )
        weights.append([np.asarray(w) for w in result.model.weights])
    for first, second in zip(*weights):
        np.testing.assert_array_equal(first, second)
