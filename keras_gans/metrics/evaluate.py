"""`evaluate_run`: how good a trained generator is, always beside the real-versus-real baseline.

A run folder (`config.json` + `model.keras`, as `keras_gans.training.train` writes it) or an
exported generator (`.keras`, SavedModel folder or `.onnx` below a run folder) is sampled, and its
samples are scored with the reference classifier of the run's data. Every generated-versus-real
figure comes with the same figure for real versus real: the classifier's train split against its
held-out split, at the same number of samples.

The figures are `keras_gans.metrics.compare`'s; which images each model is scored on is its
evaluator's (`keras_gans.metrics.evaluators`, `register_evaluator`), named by the model's spec in
`keras_gans.registry`. This module finds and loads the run, picks the evaluator and merges the
result into the run's `metrics.json`.
"""

import json
import os

from keras_gans import registry, run_files

# Imported for its registrations: the `folder` and `folders` evaluators.
from keras_gans.metrics import folder_evaluators  # noqa: F401
from keras_gans.metrics.evaluators import EVALUATORS, EvalContext
from keras_gans.metrics.folder_features import feature_extractor
from keras_gans.metrics.sources import ExportedSource, TrainingModelSource
from keras_gans.run_files import CONFIG_FILE, METRICS_FILE, MODEL_FILE

#: Key of `metrics.json` under which the evaluation is merged (the run's losses stay beside it).
EVALUATION_KEY = "evaluation"
# How far above an exported generator (export/<graph>/<version>/) its run's config.json may lie.
_CONFIG_SEARCH_DEPTH = 4


def _read_config(path):
    """The run's config at `path`, a JSON object; a ValueError naming the file otherwise."""
    try:
        config = run_files.read_json(path)
    except json.JSONDecodeError as error:
        # json's own message names a line and column, not the file.
        raise ValueError(
            f"{path} is not valid JSON ({error}); expected the run's config."
        ) from None
    if not isinstance(config, dict):
        raise ValueError(
            f"{path} must hold a JSON object (the run's config); received a "
            f"{type(config).__name__}."
        )
    return config


def _find_config(path):
    folder = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path))
    for _ in range(_CONFIG_SEARCH_DEPTH + 1):
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return _read_config(candidate)
        folder = os.path.dirname(folder)
    return None


def _locate(path, config):
    """`(config, is_run_folder, metrics_path)` of a run folder or an exported generator."""
    path = os.fspath(path)
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, MODEL_FILE)):
        if config is None:
            config_path = os.path.join(path, CONFIG_FILE)
            if not os.path.isfile(config_path):
                raise ValueError(
                    f"Run folder {path} has no {CONFIG_FILE}; expected one written by training."
                )
            config = _read_config(config_path)
        return config, True, os.path.join(path, METRICS_FILE)
    if not os.path.exists(path):
        raise ValueError(
            f"{path} does not exist; expected a run folder (with {MODEL_FILE}) or an exported "
            "generator (.keras file, SavedModel folder or .onnx file)."
        )
    config = config if config is not None else _find_config(path)
    if config is None:
        raise ValueError(
            f"No {CONFIG_FILE} found in or above {path}; evaluate a generator inside its run "
            "folder or pass config={'model': ..., 'dataset': ..., 'image_size': ...}."
        )
    # Beside the generator: inside a SavedModel version folder it would be served as an asset.
    folder = os.path.dirname(os.path.abspath(path.rstrip(os.sep)))
    return config, False, os.path.join(folder, METRICS_FILE)


def _load_source(path, is_run_folder):
    if not is_run_folder:
        # The export layer loads it (keras_gans.export.load_generator): the core does not import
        # export, it asks the registry's extension point.
        return ExportedSource(registry.plugged("load_generator")(path))
    import keras

    # Compiled: a model trained with EMA creates its averaged weights in `compile`, so only a
    # compiled load restores them (and samples with them).
    return TrainingModelSource(keras.saving.load_model(os.path.join(path, MODEL_FILE)))


def _check_evaluable(config):
    """The evaluator of `config`'s run: the one its model's spec names, or one that stands in for
    it on the run's dataset (the user's folders); a ValueError naming the datasets otherwise."""
    model_name = config.get("model")
    evaluable = [spec.name for spec in registry.specs() if spec.evaluator is not None]
    if model_name not in evaluable:
        raise ValueError(
            f"No evaluator for model {model_name!r}; expected one of {', '.join(evaluable)}."
        )
    name = registry.get_spec(model_name).evaluator
    if name not in EVALUATORS:
        raise ValueError(
            f"Model {model_name} names evaluator {name!r}, which is not registered; expected one "
            f"of {', '.join(sorted(EVALUATORS))}."
        )
    candidates = [EVALUATORS[name]] + [
        evaluator for evaluator in EVALUATORS.values() if name in evaluator.stands_in_for
    ]
    for evaluator in candidates:
        if evaluator.accepts(config.get("dataset")):
            return evaluator
    datasets = [form for evaluator in candidates for form in evaluator.datasets]
    raise ValueError(
        f"{model_name} runs are evaluated on dataset {' or '.join(map(repr, datasets))} (the "
        f"data with a reference classifier, or the user's own folders); received dataset "
        f"{config.get('dataset')!r}."
    )


def skip_reason(config):
    """Why runs of `config` cannot be evaluated, or None when they can.

    Training calls it so that models and datasets without reference data (LAPGAN on faces,
    StackGAN on a folder) skip the evaluation with a log line instead of failing.

    Args:
        config: The run's config as a dict (`model`, `dataset`, ...).
    """
    try:
        _check_evaluable(config)
    except ValueError as error:
        return str(error)
    return None


def check_num_samples(config, num_samples, name="num_samples"):
    """Raises the ValueError `evaluate_run` would raise for `num_samples`, before any training.

    Args:
        config: The run's config as a dict; its model must have an evaluator (see `skip_reason`).
        num_samples: Requested images per set, or None for the evaluator's default.
        name: What the caller calls `num_samples` (e.g. `eval_samples`), for the message.
    """
    evaluator = _check_evaluable(config)
    if num_samples is None:
        return
    bound = evaluator.bound(config)
    if (
        isinstance(num_samples, bool)
        or not isinstance(num_samples, int)
        or num_samples < 2
        or (bound is not None and num_samples > bound)
    ):
        raise ValueError(
            f"{name} must be an integer in [2, {bound if bound is not None else 'inf'}] for "
            f"{config.get('model')} runs on {config.get('dataset')!r} (the held-out data bound the "
            f"real baseline); received {num_samples!r}."
        )


def check_inception(config, inception_graph=None, inception_sha256=None):
    """Raises the ValueError `evaluate_run` would raise for the Inception graph, before training.

    Args:
        config: The run's config as a dict; its model must have an evaluator (see `skip_reason`).
        inception_graph: Path of the user's `classify_image_graph_def.pb`, or None.
        inception_sha256: The digest it must have (required with the graph).

    Raises:
        ValueError: If a graph or digest is given for a run not scored on image features (not a
            folder run), only one of the two is given, or the file fails its checks
            (`keras_gans.metrics.inception.load_inception_graph`: e.g. a sha256 mismatch).
    """
    if inception_graph is None and inception_sha256 is None:
        return
    evaluator = _check_evaluable(config)
    if not evaluator.features:
        raise ValueError(
            "inception_graph applies to runs on 'folder:PATH' or 'folders:PATH_A,PATH_B' (scored "
            f"on image features); {config.get('model')} runs on {config.get('dataset')!r} are "
            "scored with their reference classifier."
        )
    feature_extractor(inception_graph, inception_sha256)


def merge_metrics(path, evaluation, key=EVALUATION_KEY):
    """Merges `evaluation` into the JSON object at `path` under `key`, atomically.

    The file's other entries (the run's final losses) are kept; it is written under a temporary
    name and renamed, so a reader never sees half a file.
    """
    payload = run_files.read_json(path) if os.path.isfile(path) else {}
    if not isinstance(payload, dict):
        raise ValueError(f"{path} must hold a JSON object; received a {type(payload).__name__}.")
    payload[key] = evaluation
    run_files.write_json(path, payload)


def evaluate_run(
    path,
    num_samples=None,
    seed=0,
    cache_dir=None,
    config=None,
    write=True,
    inception_graph=None,
    inception_sha256=None,
):
    """Evaluates a training run folder or an exported generator and records it in `metrics.json`.

    Args:
        path: A run folder (`config.json` + `model.keras`) or an exported generator (`.keras`
            file, SavedModel folder or `.onnx` file) in or below its run folder.
        num_samples: Images per set (generated, and each of the two disjoint held-out real
            sets); default the smaller held-out set (447 for the digits) or 500 crops per domain
            for the textures.
        seed: Seed of the generator's noise and of the subsets drawn.
        cache_dir: Cache folder of the reference classifiers (default `~/.cache/keras_gans`).
        config: The run's config dict, when `path` is not in or below its run folder.
        write: Merge the result into `metrics.json` (the run folder's; for an exported generator
            the one beside it) under the `"evaluation"` key.
        inception_graph: Runs on the user's folders: the Inception `GraphDef` of the standard FID
            (TTUR's `classify_image_graph_def.pb`, never downloaded); None scores on the
            download-free random-convolution features (`folder_evaluators`).
        inception_sha256: The sha256 the graph must have; required with it.

    Returns:
        The evaluation: `model`, `dataset`, `source`, `seed`, `num_samples`, `classifier`,
        `generated` and `real_baseline` figures, `fcd_ratio`, `memorisation_ratio` (per section:
        see `keras_gans.metrics.compare.compare`), and `metrics_path` when written. Folder runs
        have `feature_extractor` instead of `classifier`, `fd_ratio` instead of `fcd_ratio`
        (`compare_features`) and `folder_sizes`.

    Raises:
        ValueError: If `path` is neither, the run's model has no evaluator, its dataset has no
            reference classifier, `num_samples` is out of range, or the Inception graph fails
            `check_inception`.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer; received {seed!r}.")
    config, is_run_folder, metrics_path = _locate(path, config)
    evaluator = _check_evaluable(config)
    check_inception(config, inception_graph, inception_sha256)
    context = EvalContext(
        config,
        _load_source(path, is_run_folder),
        num_samples,
        seed,
        cache_dir,
        inception_graph,
        inception_sha256,
    )
    evaluation = {
        "model": config["model"],
        "dataset": config["dataset"],
        "source": os.path.abspath(os.fspath(path)),
        "seed": seed,
        **evaluator.fn(context),
    }
    if write:
        merge_metrics(metrics_path, evaluation)
        evaluation["metrics_path"] = metrics_path
    return evaluation
