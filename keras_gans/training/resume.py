"""Resuming a run folder: refuse a changed config, restore the last checkpoint exactly.

`--epochs` alone may change: a run resumed with more epochs continues to the new count. Values
that follow the epochs when not given (`sample_every`, CycleGAN's `decay_epochs`) follow the new
count, so every step from the resume point on runs as a fresh run with the new epochs would:
CycleGAN's learning rate then decays over the last `decay_epochs` of the new total.
"""

import dataclasses
import os

import tensorflow as tf

from keras_gans import run_files

# Fields that change how a run is shown, saved, shipped or scored, not what it trains: they may
# differ on resume (and run folders written before such a field existed still resume).
PRESENTATION_FIELDS = (
    "verbose",
    "checkpoint_seconds",
    "export",
    "evaluate",
    "eval_samples",
    "inception_graph",
    "inception_sha256",
)
# Fields that only matter when a run starts (`init_from` seeds the networks of epoch 0).
START_FIELDS = ("init_from",)
# What a field missing from an older run's config.json meant then (folders were stretched).
LEGACY_VALUES = {"resize": "stretch"}


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


def completed_epochs(output_dir):
    """The epoch after which the newest checkpoint in `output_dir` was written."""
    path = tf.train.latest_checkpoint(checkpoint_dir(output_dir))
    return int(tf.train.load_variable(path, "epoch/.ATTRIBUTES/VARIABLE_VALUE"))


def check_resumable(saved, given, config):
    """Raises a ValueError unless the run in `config.output_dir` may resume with `config`.

    Refused: `--init_from` (the folder's own checkpoint seeds the networks), fewer epochs than
    the checkpoint has trained, and any other flag that differs from the saved run's.

    Args:
        saved: The saved run's config (`saved_config`).
        given: The `TrainConfig` as given, its preset not yet filled in.
        config: `given.resolved()`.
    """
    out = config.output_dir
    if config.init_from is not None:
        raise ValueError(
            f"refusing --init_from={config.init_from}: {out} already holds a run to resume (its "
            f"{run_files.CHECKPOINTS_FOLDER}/). Drop --init_from to resume it, or give another "
            "--output_dir to start anew."
        )
    done = completed_epochs(out)
    if config.epochs < done:
        raise ValueError(
            f"refusing to resume the run in {out}: it has trained {done} epochs, more than "
            f"--epochs={config.epochs}. Give --epochs={done} or more to continue it, or another "
            "--output_dir to start anew."
        )
    check_same_config(saved, _at_epochs(given, saved.get("epochs"), config))


def _at_epochs(given, epochs, config):
    """`given` resolved at the saved run's `epochs`: what those flags gave that run."""
    try:
        return dataclasses.replace(given, epochs=epochs).resolved()
    except ValueError:
        # E.g. a --decay_epochs beyond the saved epochs: the comparison names it.
        return config


def check_same_config(saved, config):
    """Raises a ValueError naming every flag but `--epochs` whose value differs from the saved
    run's."""
    current = dataclasses.asdict(config)
    ignored = PRESENTATION_FIELDS + START_FIELDS + ("epochs",)
    differing = [
        f"--{name} (saved {saved.get(name, LEGACY_VALUES.get(name))!r}, now {value!r})"
        for name, value in sorted(current.items())
        if name not in ignored and saved.get(name, LEGACY_VALUES.get(name)) != value
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
