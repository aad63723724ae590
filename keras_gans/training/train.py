"""`train(config)`: the one library entry point behind `keras-gans-train`."""

import dataclasses
import json
import logging
import os

import keras

from keras_gans.training import callbacks as callbacks_lib
from keras_gans.training.specs import get_spec
from keras_gans.training.strategy import make_strategy

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class TrainResult:
    """What a run leaves behind.

    Attributes:
        model: The trained training model.
        history: `{metric: [value per epoch]}`.
        config: The resolved config (preset defaults filled in).
        output_dir: The run folder.
        files: Named paths written into the run folder.
    """

    model: keras.Model
    history: dict
    config: object
    output_dir: str
    files: dict


def build_and_compile(config, info, strategy):
    """Builds the model of `config` in the strategy's scope and compiles it."""
    spec = get_spec(config.model)
    previous_policy = keras.mixed_precision.dtype_policy()
    try:
        # Layers take the global policy when they are built; variables stay float32.
        keras.mixed_precision.set_dtype_policy(config.precision)
        with strategy.scope():
            keras.utils.set_random_seed(config.seed)
            model = spec.build(config, info)
            model.compile(
                d_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
                g_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
                loss=config.loss,
                jit_compile=config.jit_compile,
                steps_per_execution=config.steps_per_execution,
                ema_decay=config.ema_decay,
            )
    finally:
        keras.mixed_precision.set_dtype_policy(previous_policy)
    return model


def train(config):
    """Trains `config.model` on `config.dataset` and writes the run folder.

    The run folder holds `samples/epoch_NNNN.png` grids, `logs/` (TensorBoard), `checkpoints/`
    (both networks and both optimizers), `model.keras` (the whole training model),
    `generator.keras`, `config.json`, `metrics.json` (final losses) and, unless
    `config.export` is False, `export/` (SavedModel and ONNX of each generator graph).

    Args:
        config: A `TrainConfig`; its `None` fields take the model's preset defaults.

    Returns:
        A `TrainResult`.
    """
    spec = get_spec(config.model)
    config = config.with_defaults(spec.defaults)
    strategy = make_strategy(config.strategy)
    dataset, info = spec.make_dataset(config, strategy.num_replicas_in_sync)
    model = build_and_compile(config, info, strategy)

    out = config.output_dir
    os.makedirs(out, exist_ok=True)
    _write_json(os.path.join(out, "config.json"), dataclasses.asdict(config))
    samples = callbacks_lib.SampleGrid(
        os.path.join(out, "samples"), every=config.sample_every, seed=config.seed + 1234,
        log_dir=os.path.join(out, "logs", "samples"),
    )
    history = model.fit(
        dataset,
        epochs=config.epochs,
        steps_per_epoch=config.steps_per_epoch,
        verbose=config.verbose,
        shuffle=False,  # the pipeline shuffles
        callbacks=[
            samples,
            callbacks_lib.Checkpoint(os.path.join(out, "checkpoints")),
            keras.callbacks.TensorBoard(os.path.join(out, "logs")),
        ],
    ).history

    files = {"last_grid": samples.last_path}
    files["model"] = os.path.join(out, "model.keras")
    model.save(files["model"])
    for name, graph in model.inference_models().items():
        files[name] = os.path.join(out, f"{name}.keras")
        graph.save(files[name])
    metrics = {name: float(values[-1]) for name, values in history.items()}
    metrics.update(epochs=config.epochs, num_replicas=strategy.num_replicas_in_sync)
    files["metrics"] = os.path.join(out, "metrics.json")
    _write_json(files["metrics"], metrics)
    if config.export:
        files["export"] = _export(model, out)
    return TrainResult(model, history, config, out, files)


def _export(model, out):
    # Imported here: the export layer pulls in tf2onnx, which training alone does not need.
    from keras_gans.export import export_model

    directory = os.path.join(out, "export")
    export_model(model, directory)
    return directory


def _write_json(path, payload):
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, sort_keys=True)
    os.replace(temporary, path)
