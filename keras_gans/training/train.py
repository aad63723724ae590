"""`train(config)`: the one library entry point behind `keras-gans-train`."""

import dataclasses
import logging
import os
from typing import Optional

import keras
import numpy as np
import tensorflow as tf

from keras_gans import run_files
from keras_gans.metrics import evaluate as evaluate_lib
from keras_gans.registry import get_spec
from keras_gans.training import callbacks as callbacks_lib
from keras_gans.training import multiworker, resume, warm_start
from keras_gans.training.build import build_and_compile, steps_per_epoch  # noqa: F401  (patched by tests)
from keras_gans.training.strategy import make_strategy

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class TrainResult:
    """What a run leaves behind.

    Attributes:
        model: The trained training model.
        history: `{metric: [value per epoch]}`.
        config: The resolved config (its preset's values filled in).
        output_dir: The run folder.
        files: Named paths written into the run folder.
        evaluation: What `keras_gans.metrics.evaluate_run` measured at the end of the run (also in
            `metrics.json` under "evaluation"), or None when the run was not evaluated.
    """

    model: keras.Model
    history: dict
    config: object
    output_dir: str
    files: dict
    evaluation: Optional[dict] = None


def train(config):
    """Trains `config.model` on `config.dataset` and writes the run folder.

    The run folder holds `samples/epoch_NNNN.png` grids, `logs/` (TensorBoard), `checkpoints/`
    (both networks and both optimizers), `model.keras` (the whole training model),
    `generator.keras`, `config.json`, `metrics.json` (final losses) and, unless
    `config.export` is False, `export/` (SavedModel and ONNX of each generator graph).

    A folder that holds a run with a checkpoint resumes it (`keras_gans.training.resume`); more
    `config.epochs` than it was run for continue it to the new count. `config.init_from` starts
    a new run from another run's networks (`keras_gans.training.warm_start`).

    Unless `config.evaluate` is False, the chief then evaluates the saved run
    (`keras_gans.metrics.evaluate_run`, seed 0 as `keras-gans-eval` uses) and merges the figures
    into `metrics.json` under "evaluation". Runs whose model or dataset has no reference
    classifier skip that with a logged line; a run stopped by the NaN guard is never evaluated.

    Args:
        config: A `TrainConfig`; its `None` fields take its preset's values
            (`TrainConfig.resolved`).

    Returns:
        A `TrainResult`.
    """
    spec = get_spec(config.model)
    given, config = config, config.resolved()
    # Checked now: a bad --eval_samples must not cost a training run.
    skip_evaluation = _evaluation_skip_reason(config)
    if config.deterministic:
        # Process-wide: the user asked for a reproducible run of this process.
        tf.config.experimental.enable_op_determinism()
    out = config.output_dir
    saved = resume.saved_config(out)
    if saved is not None:
        resume.check_resumable(saved, given, config)
    source = warm_start.open_run(config) if config.init_from is not None else None
    strategy = make_strategy(config.strategy)
    dataset, info = spec.make_dataset(config, strategy.num_replicas_in_sync)
    steps = steps_per_epoch(config, info)
    model = build_and_compile(config, info, strategy)
    if source is not None:
        warm_start.load_networks(model, source)
    checkpoint = resume.make_checkpoint(model, tf.Variable(0, dtype=tf.int64, trainable=False))
    initial_epoch = resume.restore_latest(checkpoint, out) if saved is not None else 0
    if saved is not None:
        logger.warning("Resuming %s after epoch %d of %d.", out, initial_epoch, config.epochs)
        if saved["epochs"] != config.epochs:
            logger.warning(
                "%s was a run of %d epochs; now %d.", out, saved["epochs"], config.epochs
            )
    # Unknown size (steps None): epochs end when the data does; resume is then approximate.
    if steps is not None:
        # One endless, seeded stream of batches: epoch e always sees the same batches, so a
        # resumed run skips exactly what the checkpointed epochs consumed.
        dataset = dataset.repeat().skip(initial_epoch * steps)
    dataset = dataset.with_options(fit_options())
    if multiworker.num_workers(strategy) > 1:
        dataset = multiworker.distribute_global_batches(dataset, strategy, config.batch_size)
        out = multiworker.worker_output_dir(out, strategy)

    os.makedirs(out, exist_ok=True)
    run_files.write_json(os.path.join(out, run_files.CONFIG_FILE), dataclasses.asdict(config))
    samples = callbacks_lib.SampleGrid(
        os.path.join(out, run_files.SAMPLES_FOLDER),
        every=config.sample_every,
        seed=config.seed + 1234,
        log_dir=os.path.join(out, run_files.LOGS_FOLDER, run_files.SAMPLES_FOLDER),
    )
    guard = callbacks_lib.NonFiniteGuard()
    history = model.fit(
        dataset,
        epochs=config.epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=steps,
        verbose=config.verbose,
        shuffle=False,  # the pipeline shuffles
        callbacks=[
            guard,
            samples,
            callbacks_lib.Checkpoint(
                checkpoint,
                resume.checkpoint_dir(out),
                every_seconds=config.checkpoint_seconds,
            ),
            keras.callbacks.TensorBoard(os.path.join(out, run_files.LOGS_FOLDER)),
        ],
    ).history
    if guard.tripped is not None:
        step, name, value = guard.tripped
        kept = tf.train.latest_checkpoint(resume.checkpoint_dir(out))
        where = (
            f"The last good checkpoint stays in {resume.checkpoint_dir(out)}"
            if kept
            else f"No checkpoint was due yet (--checkpoint_seconds={config.checkpoint_seconds:g})"
        )
        raise NonFiniteLossError(
            f"training stopped at step {step}: {name} became {value}. {where}; nothing was "
            "saved or exported. Try a lower --learning_rate or another --loss."
        )

    files = {"last_grid": samples.last_path}
    files["model"] = os.path.join(out, run_files.MODEL_FILE)
    model.save(files["model"])
    for name, graph in model.inference_models().items():
        files[name] = os.path.join(out, f"{name}.keras")
        graph.save(files[name])
    metrics = {name: float(values[-1]) for name, values in history.items()}
    files["metrics"] = os.path.join(out, run_files.METRICS_FILE)
    if not metrics and os.path.isfile(files["metrics"]):
        # A finished run started again: nothing trained, keep what it measured.
        metrics = run_files.read_json(files["metrics"])
    metrics.update(epochs=config.epochs, num_replicas=strategy.num_replicas_in_sync)
    run_files.write_json(files["metrics"], metrics)
    if config.export:
        files["export"] = _export(model, out)
    evaluation = None
    # Other workers' folders are scratch: only the chief's run is scored.
    if multiworker.is_chief(strategy):
        evaluation = _evaluate(model, config, out, skip_evaluation)
    return TrainResult(model, history, config, out, files, evaluation)


def fit_options():
    """The `tf.data.Options` of the training stream: tf.data's autotuning off.

    Destroying the iterator at the end of `fit` waits for the autotuning thread, which sleeps
    between optimisations for up to a minute: the README's default run sat idle 25-30 s after
    its last epoch in about half the runs (2 cores, TF 2.21). The training streams are
    in-memory batches or light decoding, which need no tuning on such machines.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return options


class NonFiniteLossError(ValueError):
    """A loss became NaN or infinite; the run stopped without saving or exporting."""


def _evaluation_skip_reason(config):
    """None when the run is to be evaluated at its end, else why not.

    Raises:
        ValueError: If `config.eval_samples` is out of range for the run's reference data.
    """
    if not config.evaluate:
        return "evaluate=False"
    run = dataclasses.asdict(config)
    reason = evaluate_lib.skip_reason(run)
    if reason is None:
        evaluate_lib.check_num_samples(run, config.eval_samples, name="eval_samples")
        # A wrong file or digest must not cost a training run either.
        evaluate_lib.check_inception(run, config.inception_graph, config.inception_sha256)
    return reason


def _evaluate(model, config, out, skip_reason):
    """Evaluates the saved run in `out` (merging into its metrics.json), or logs why not."""
    if skip_reason is not None:
        if config.evaluate:
            logger.warning("Not evaluating %s: %s", out, skip_reason)
        return None
    if not all(np.all(np.isfinite(np.asarray(weight))) for weight in model.weights):
        # The NaN guard stops on non-finite losses; weights can still overflow without them.
        logger.warning("Not evaluating %s: the trained model has non-finite weights.", out)
        return None
    # From the saved model.keras, as `keras-gans-eval` would: the figures are those of what the
    # run folder holds, and the (possibly distributed) training model is not touched.
    return evaluate_lib.evaluate_run(
        out,
        num_samples=config.eval_samples,
        inception_graph=config.inception_graph,
        inception_sha256=config.inception_sha256,
    )


def _export(model, out):
    # Imported here: the export layer pulls in tf2onnx, which training alone does not need.
    from keras_gans.export import export_model

    directory = os.path.join(out, run_files.EXPORT_FOLDER)
    export_model(model, directory)
    return directory
