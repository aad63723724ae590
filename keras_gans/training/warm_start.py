"""Starting a run from another run's networks: `TrainConfig.init_from` (`--init_from=RUN_DIR`).

The new run builds the model its own config describes, then takes every generator and
discriminator weight (BatchNorm statistics included) of the other run, from its `model.keras`
or, for a run that did not finish, its newest checkpoint. The optimizers, image pools and step
counter start fresh, and the moving average (`--ema_decay`) restarts at the loaded generator.
Weights are paired in the model's order, so the two runs must build the same networks: a
different model or any variable of another shape is refused, naming it.
"""

import dataclasses
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans import registry, run_files
from keras_gans.models.ema import moving_statistics
from keras_gans.training import resume
from keras_gans.training.build import build_and_compile
from keras_gans.training.config import TrainConfig


@dataclasses.dataclass(frozen=True)
class SourceRun:
    """A run folder to start from: its path and its saved config."""

    path: str
    config: dict


def open_run(config):
    """The run folder `config.init_from`, checked to hold weights of a run of `config.model`.

    Raises:
        ValueError: If the folder is no run folder, holds another model's run, or holds neither
            `model.keras` nor a checkpoint.
    """
    path = config.init_from
    config_path = os.path.join(path, run_files.CONFIG_FILE)
    if not os.path.isfile(config_path):
        raise ValueError(
            f"--init_from={path} is not a run folder: it holds no {run_files.CONFIG_FILE}."
        )
    saved = run_files.read_json(config_path)
    if saved.get("model") != config.model:
        raise ValueError(
            f"refusing --init_from={path}: it holds a {saved.get('model')} run; this run trains "
            f"{config.model}."
        )
    if not (
        os.path.isfile(os.path.join(path, run_files.MODEL_FILE))
        or tf.train.latest_checkpoint(resume.checkpoint_dir(path))
    ):
        raise ValueError(
            f"--init_from={path} holds neither {run_files.MODEL_FILE} nor a checkpoint in "
            f"{run_files.CHECKPOINTS_FOLDER}/."
        )
    return SourceRun(path, saved)


def network_variables(model):
    """The variables `init_from` carries over, in the model's order: both sides' trainable
    weights and the BatchNorm statistics (not EMA averages, image pools or optimizer state)."""
    chosen = model.generator_variables() + model.discriminator_variables()
    chosen = {id(v) for v in chosen + moving_statistics(model)}
    return [v for v in model.weights if id(v) in chosen]


def load_networks(model, source):
    """Assigns the networks of the `source` run to `model`'s (see the module docstring).

    Raises:
        ValueError: Naming the first variable whose shape differs, or the variable counts.
    """
    arrays = _source_arrays(source)
    targets = network_variables(model)
    for variable, array in zip(targets, arrays):
        if tuple(array.shape) != tuple(variable.shape):
            raise ValueError(
                f"refusing --init_from={source.path}: {_network_of(model, variable)} variable "
                f"{variable.path} has shape {tuple(array.shape)} there and "
                f"{tuple(variable.shape)} here."
            )
    if len(arrays) != len(targets):
        raise ValueError(
            f"refusing --init_from={source.path}: its networks hold {len(arrays)} variables, "
            f"this run's {len(targets)}."
        )
    for variable, array in zip(targets, arrays):
        variable.assign(array)
    if getattr(model, "_ema_weights", None):
        model.restart_ema()


def _network_of(model, variable):
    """The name of the model's network (or other sublayer) that holds `variable`."""
    for layer in model._flatten_layers(include_self=False, recursive=False):
        if any(v is variable for v in layer.weights):
            return layer.name
    return model.name


def _source_arrays(source):
    """The network variables of the source run as arrays: from `model.keras`, else from its
    newest checkpoint restored into the model its config builds."""
    model_path = os.path.join(source.path, run_files.MODEL_FILE)
    if os.path.isfile(model_path):
        model = keras.saving.load_model(model_path, compile=False)
    else:
        fields = {field.name for field in dataclasses.fields(TrainConfig)}
        config = TrainConfig(**{k: v for k, v in source.config.items() if k in fields})
        _, info = registry.get_spec(config.model).make_dataset(config, 1)
        model = build_and_compile(config, info, tf.distribute.get_strategy())
        resume.restore_latest(
            resume.make_checkpoint(model, tf.Variable(0, dtype=tf.int64)), source.path
        )
    return [np.asarray(v) for v in network_variables(model)]
