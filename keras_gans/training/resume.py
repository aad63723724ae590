"""Resuming a run folder: refuse a changed config, restore the last checkpoint exactly."""

import dataclasses
import os

import tensorflow as tf

from keras_gans import run_files

# Fields that change how a run is shown, shipped or scored, not what it trains: they may differ
# on resume (and run folders written before the evaluation fields existed still resume).
PRESENTATION_FIELDS = ("verbose", "export", "evaluate", "eval_samples")


def make_checkpoint(model, epoch):
    """The checkpoint of a run: every model weight, both optimizers' state and the epoch.

    Keras 3 models are not checkpoint dependencies of their own, so their weights (BatchNorm
    statistics, image pools and EMA copies included) are listed in the model's stable order.
    Optimizer state carries the step counter, which keys the training noise and any
    learning-rate schedule, so a restored run draws exactly what the uninterrupted one drew.
    """
    return tf.train.Checkpoint(weights=list(model.weights), epoch=epoch, **model.optimizers())


def checkpoint_dir(output_dir):
    return os.path.join(output_dir, run_files.CHECKPOINTS_FOLDER)


def saved_config(output_dir):
    """The config of an earlier run in `output_dir` that left a checkpoint, else None."""
    path = os.path.join(output_dir, run_files.CONFIG_FILE)
    if not (os.path.isfile(path) and tf.train.latest_checkpoint(checkpoint_dir(output_dir))):
        return None
    return run_files.read_json(path)


def check_same_config(saved, config):
    """Raises a ValueError naming every flag whose value differs from the saved run's."""
    current = dataclasses.asdict(config)
    differing = [
        f"--{name} (saved {saved.get(name)!r}, now {value!r})"
        for name, value in sorted(current.items())
        if name not in PRESENTATION_FIELDS and saved.get(name) != value
    ]
    if differing:
        raise ValueError(
            f"refusing to resume the run in {config.output_dir}: flags differ from the saved run: "
            f"{', '.join(differing)}. Use the same flags, or another --output_dir to start anew."
        )


def restore_latest(checkpoint, output_dir):
    """Restores the newest checkpoint; returns the epoch it was written after."""
    path = tf.train.latest_checkpoint(checkpoint_dir(output_dir))
    checkpoint.restore(path).assert_existing_objects_matched()
    return int(checkpoint.epoch)
