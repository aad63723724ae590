"""`evaluate_run`: how good a trained generator is, always beside the real-versus-real baseline.

A run folder (`config.json` + `model.keras`, as `keras_gans.training.train` writes it) or an
exported generator (`.keras`, SavedModel folder or `.onnx` below a run folder) is sampled, and its
samples are scored with the reference classifier of the run's data. Every generated-versus-real
figure comes with the same figure for real versus real: the classifier's train split against its
held-out split, at the same number of samples.

Models join through `register_evaluator(name, datasets=...)`: an evaluator takes an `EvalContext`
and returns a dict of figures. Registered here: GAN, DCGAN, CGAN, LAPGAN (digits runs), StackGAN (captioned
digits) and CycleGAN (grass/gravel textures).
"""

import dataclasses
import inspect
import json
import os
from typing import Callable, Optional

import numpy as np

from keras_gans.metrics import classifiers as classifiers_lib
from keras_gans.metrics.accuracy import conditional_accuracy
from keras_gans.metrics.frechet import frechet_classifier_distance
from keras_gans.metrics.kernel import kernel_distance
from keras_gans.metrics.scores import classifier_score

from keras_gans import run_files
from keras_gans.run_files import CONFIG_FILE, METRICS_FILE, MODEL_FILE
#: Key of `metrics.json` under which the evaluation is merged (the run's losses stay beside it).
EVALUATION_KEY = "evaluation"

# Images generated per forward pass: bounds memory for large n at any resolution.
_CHUNK = 256
# How far above an exported generator (export/<graph>/<version>/) its run's config.json may lie.
_CONFIG_SEARCH_DEPTH = 4


# -- Generators ----------------------------------------------------------------------------------
class TrainingModelSource:
    """Samples a loaded training model through its own `sample(...)`.

    Attributes:
        model: The training model (evaluators of translation or text models use it directly).
    """

    def __init__(self, model):
        self.model = model

    def generate(self, num_images, seed=0, labels=None):
        """`[num_images, H, W, C]` images; `labels` (`[num_images]`) for conditional models."""
        if not _takes(self.model.sample, "noise"):
            # E.g. LAPGAN, whose noise is one map per level: one call draws it all.
            kwargs = {} if labels is None else {"labels": np.asarray(labels)}
            return self.model.sample(num_images=num_images, seed=seed, **kwargs)
        noise = self.model.sample_noise(num_images, seed)
        chunks = []
        for start in range(0, num_images, _CHUNK):
            part = slice(start, start + _CHUNK)
            kwargs = {} if labels is None else {"labels": np.asarray(labels)[part]}
            chunks.append(self.model.sample(noise=noise[part], **kwargs))
        return np.concatenate(chunks)


class ExportedSource:
    """Samples an exported generator (`keras_gans.export.load_generator`) with standard normal noise.

    Only noise (and label) inputs are generated; image or text inputs raise a ValueError.
    """

    def __init__(self, path):
        # Imported here: the export layer pulls in ONNX Runtime, which run folders do not need.
        from keras_gans.export import load_generator

        self.runner = load_generator(path)

    def generate(self, num_images, seed=0, labels=None):
        from keras_gans.export.sampler import sample_inputs

        feed = sample_inputs(self.runner.input_specs, num_images, seed, labels)
        chunks = []
        for start in range(0, num_images, _CHUNK):
            outputs = self.runner.run({name: value[start:start + _CHUNK] for name, value in feed.items()})
            chunks.append(outputs["images"] if "images" in outputs else outputs[self.runner.output_names[0]])
        return np.concatenate(chunks)


def _takes(function, name):
    return name in inspect.signature(function).parameters


def _training_model(context, what):
    """The training model of the context, or a ValueError for exported generators."""
    if not isinstance(context.source, TrainingModelSource):
        raise ValueError(
            f"{context.config.get('model')} is evaluated from its run folder ({what}); "
            "pass the run folder rather than an exported generator."
        )
    return context.source.model


# -- Dispatch ------------------------------------------------------------------------------------
@dataclasses.dataclass
class EvalContext:
    """What an evaluator gets.

    Attributes:
        config: The run's `config.json` (`model`, `dataset`, `image_size`, `channels`, ...).
        source: A `TrainingModelSource` (run folder: `.model` is the training model) or an
            `ExportedSource`; both offer `generate(num_images, seed, labels=None) -> images`.
        num_samples: Requested samples per set, or None for the evaluator's default.
        seed: Seed of the generator's noise and of subset draws.
        cache_dir: Cache folder of the reference classifiers (None: the default).
    """

    config: dict
    source: object
    num_samples: Optional[int]
    seed: int
    cache_dir: Optional[str]


@dataclasses.dataclass(frozen=True)
class Evaluator:
    """A registered evaluator: `fn(context) -> dict`, the datasets it has reference data for and
    the most samples per set that data allows (None: checked only when evaluating)."""

    fn: Callable
    datasets: tuple
    max_samples: Optional[int] = None


EVALUATORS: dict = {}


def register_evaluator(*model_names, datasets, max_samples=None) -> Callable:
    """Decorator: `@register_evaluator("name", datasets=("digits",))` makes `fn(context) -> dict`
    evaluate that model's runs on those datasets.

    The dict holds `classifier` and `num_samples`, and either `generated`, `real_baseline` and
    `fcd_ratio` (see `compare`) or one such section per named part (e.g. per direction).
    `max_samples` lets `check_num_samples` refuse a too large `num_samples` before a run trains.
    """

    def decorator(fn):
        for name in model_names:
            EVALUATORS[name] = Evaluator(fn, tuple(datasets), max_samples)
        return fn

    return decorator


def _check_num_samples(num_samples, available, default=None):
    if num_samples is None:
        return min(available, default or available)
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or not 2 <= num_samples <= available:
        raise ValueError(
            f"num_samples must be an integer in [2, {available}] (the held-out data bound the real "
            f"baseline); received {num_samples!r}."
        )
    return num_samples


def set_metrics(classifier, images, reference_features, labels=None, seed=0):
    """Figures of one set of `images` against real reference features.

    Args:
        classifier: A `ReferenceClassifier`.
        images: `[N, H, W, C]` images (generated, or real for the baseline).
        reference_features: `[N, F]` classifier features of the real reference set.
        labels: `[N]` intended classes; adds `conditional_accuracy`.
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{classifier_score, classifier_score_std, frechet_classifier_distance, kernel_distance,
        kernel_distance_std[, conditional_accuracy]}`.
    """
    logits, features = classifier.predict(images)
    score, score_std = classifier_score(logits, splits=min(10, len(logits)))
    kid, kid_std = kernel_distance(
        features, reference_features, num_subsets=50, subset_size=max(2, len(features) // 2), seed=seed
    )
    figures = {
        "classifier_score": score,
        "classifier_score_std": score_std,
        "frechet_classifier_distance": frechet_classifier_distance(features, reference_features),
        "kernel_distance": kid,
        "kernel_distance_std": kid_std,
    }
    if labels is not None:
        figures["conditional_accuracy"] = conditional_accuracy(logits, labels)
    return figures


def compare(classifier, generated, real_train, real_heldout, labels=None, heldout_labels=None, seed=0):
    """Generated-versus-real figures beside real-versus-real ones, at the same n.

    Args:
        classifier: A `ReferenceClassifier`.
        generated: `[n, H, W, C]` generated (or translated) images.
        real_train: `[n, H, W, C]` real images of the classifier's train split (or region).
        real_heldout: `[n, H, W, C]` real held-out images: the reference of both comparisons.
        labels: `[n]` classes the generated images should have: adds `conditional_accuracy`.
        heldout_labels: `[n]` classes of `real_heldout` (needed with `labels`).
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{"generated": figures, "real_baseline": figures, "fcd_ratio": float}`. Distances compare
        each set with `real_heldout`; the baseline's classifier score and accuracy are those of
        `real_heldout` itself (the train split's would flatter the classifier fitted to it).
    """
    reference = classifier.features(real_heldout)
    generated_figures = set_metrics(classifier, generated, reference, labels, seed=seed)
    baseline = set_metrics(classifier, real_train, reference, seed=seed)
    held_logits = classifier.logits(real_heldout)
    baseline["classifier_score"], baseline["classifier_score_std"] = classifier_score(
        held_logits, splits=min(10, len(held_logits))
    )
    if labels is not None:
        baseline["conditional_accuracy"] = conditional_accuracy(held_logits, heldout_labels)
    return {
        "generated": generated_figures,
        "real_baseline": baseline,
        "fcd_ratio": generated_figures["frechet_classifier_distance"]
        / max(baseline["frechet_classifier_distance"], 1e-12),
    }


def _classifier_summary(classifier):
    return {
        "name": classifier.name,
        "heldout_accuracy": classifier.heldout_accuracy,
        "image_size": classifier.image_size,
    }


# Images in the train half of the 1,797 digits (`digits_split`; the held-out half has 901): the
# real baseline needs n distinct images of each half.
_DIGITS_MAX_SAMPLES = 896


def _digits_sets(context):
    """Reference classifier, `n`, seeded train/held-out subsets of the digits and their indices."""
    image_size = int(context.config["image_size"])
    classifier = classifiers_lib.digits_classifier(image_size, cache_dir=context.cache_dir)
    (train_images, _), (heldout_images, heldout_labels) = classifiers_lib.digits_split(image_size)
    n = _check_num_samples(context.num_samples, min(len(train_images), len(heldout_images)))
    rng = np.random.default_rng(context.seed)
    train_pick = rng.choice(len(train_images), n, replace=False)
    held_pick = rng.choice(len(heldout_images), n, replace=False)
    heldout_images, heldout_labels = heldout_images[held_pick], heldout_labels[held_pick]
    return classifier, n, train_images[train_pick], heldout_images, heldout_labels, held_pick


@register_evaluator("gan", "dcgan", "cgan", "lapgan", datasets=("digits",), max_samples=_DIGITS_MAX_SAMPLES)
def evaluate_digits(context):
    """GAN, DCGAN, CGAN and LAPGAN on the digits: classifier score, Frechet and kernel distances,
    and for class-conditional models conditional accuracy; each beside the real baseline.

    Generated images are compared with the held-out split; the baseline compares the train split
    with the held-out split at the same n. Conditional models are asked for the held-out subset's
    labels, so both sets have the same class histogram.
    """
    classifier, n, train, heldout, heldout_labels, _ = _digits_sets(context)
    conditional = context.config["model"] == "cgan" or bool(context.config.get("conditional"))
    labels = heldout_labels if conditional else None
    generated = context.source.generate(n, seed=context.seed, labels=labels)
    return {
        "classifier": _classifier_summary(classifier),
        "num_samples": n,
        **compare(classifier, generated, train, heldout, labels, heldout_labels, seed=context.seed),
    }


@register_evaluator("stackgan", datasets=("digits",), max_samples=_DIGITS_MAX_SAMPLES)
def evaluate_captioned_digits(context):
    """StackGAN on the captioned digits: images generated from the held-out digits' own captions
    ("a thick seven leaning right"), scored like a conditional model on the digit they name."""
    from sklearn.datasets import load_digits as sk_load_digits

    from keras_gans.data.captions import describe_digits

    model = _training_model(context, "its text encoder turns captions into embeddings")
    classifier, n, train, heldout, heldout_labels, held_pick = _digits_sets(context)
    raw = sk_load_digits()
    captions = describe_digits(raw.images, raw.target, captions_per_image=1)[:, 0]
    _, heldout_index = classifiers_lib.digits_split_indices(raw.target)
    captions = captions[heldout_index][held_pick]
    noise = model.sample_noise(n, context.seed)
    generated = np.concatenate([
        model.sample(captions=captions[i:i + _CHUNK], noise=noise[i:i + _CHUNK]) for i in range(0, n, _CHUNK)
    ])
    return {
        "classifier": _classifier_summary(classifier),
        "num_samples": n,
        **compare(classifier, generated, train, heldout, heldout_labels, heldout_labels, seed=context.seed),
    }


# Crops per domain and region scored for translation models, unless num_samples says otherwise.
_TRANSLATION_SAMPLES = 500
# Crops per domain and region at most (they are drawn at random positions, so any n would do).
_TRANSLATION_MAX_SAMPLES = 5000


@register_evaluator("cyclegan", datasets=("textures",), max_samples=_TRANSLATION_MAX_SAMPLES)
def evaluate_translation(context):
    """CycleGAN on the textures: per direction, domain accuracy (share of translated held-out crops
    the grass/gravel classifier assigns to the target domain) and Frechet and kernel distances of the
    translations to held-out crops of the target domain; beside the target domain's real figures
    (train-region crops against held-out crops)."""
    model = _training_model(context, "it translates real crops in both directions")
    image_size = int(context.config["image_size"])
    classifier = classifiers_lib.texture_classifier(image_size, cache_dir=context.cache_dir)
    n = _check_num_samples(context.num_samples, _TRANSLATION_MAX_SAMPLES, default=_TRANSLATION_SAMPLES)
    # Crops other than the classifier's own (it trained on seed 0's train-region crops).
    evaluation_seed = 1000 + context.seed
    train, _ = classifiers_lib.texture_crops(image_size, n, "train", evaluation_seed)
    heldout, _ = classifiers_lib.texture_crops(image_size, n, "heldout", evaluation_seed)
    sources = classifiers_lib.texture_crops(image_size, n, "heldout", evaluation_seed + 1)[0]
    channels = int(context.config.get("channels") or 1)
    results = {}
    for direction, source, target in (("a_to_b", 0, 1), ("b_to_a", 1, 0)):
        inputs = sources[source * n:(source + 1) * n]
        inputs = np.repeat(inputs, channels, axis=-1) if channels == 3 else inputs
        translated = np.concatenate([
            model.translate(inputs[i:i + _CHUNK], direction) for i in range(0, n, _CHUNK)
        ])
        target_slice = slice(target * n, (target + 1) * n)
        section = compare(
            classifier, translated, train[target_slice], heldout[target_slice],
            np.full(n, target), np.full(n, target), seed=context.seed,
        )
        for figures in (section["generated"], section["real_baseline"]):
            figures["domain_accuracy"] = figures.pop("conditional_accuracy")
        results[direction] = section
    return {"classifier": _classifier_summary(classifier), "num_samples": n, **results}


def sections(evaluation):
    """`[(title, {"generated", "real_baseline", "fcd_ratio"})]` of an evaluation: one untitled
    section, or one per named part (e.g. CycleGAN's directions)."""
    if "generated" in evaluation:
        return [("", evaluation)]
    return [
        (name, part) for name, part in evaluation.items() if isinstance(part, dict) and "generated" in part
    ]


# -- Entry point ---------------------------------------------------------------------------------
def _read_config(path):
    """The run's config at `path`, a JSON object; a ValueError naming the file otherwise."""
    try:
        config = run_files.read_json(path)
    except json.JSONDecodeError as error:
        # json's own message names a line and column, not the file.
        raise ValueError(f"{path} is not valid JSON ({error}); expected the run's config.") from None
    if not isinstance(config, dict):
        raise ValueError(
            f"{path} must hold a JSON object (the run's config); received a {type(config).__name__}."
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
                raise ValueError(f"Run folder {path} has no {CONFIG_FILE}; expected one written by training.")
            config = _read_config(config_path)
        return config, True, os.path.join(path, METRICS_FILE)
    if not os.path.exists(path):
        raise ValueError(
            f"{path} does not exist; expected a run folder (with {MODEL_FILE}) or an exported generator "
            "(.keras file, SavedModel folder or .onnx file)."
        )
    config = config if config is not None else _find_config(path)
    if config is None:
        raise ValueError(
            f"No {CONFIG_FILE} found in or above {path}; evaluate a generator inside its run folder or "
            "pass config={'model': ..., 'dataset': ..., 'image_size': ...}."
        )
    # Beside the generator: inside a SavedModel version folder it would be served as an asset.
    folder = os.path.dirname(os.path.abspath(path.rstrip(os.sep)))
    return config, False, os.path.join(folder, METRICS_FILE)


def _load_source(path, is_run_folder):
    if not is_run_folder:
        return ExportedSource(path)
    import keras

    import keras_gans.models  # noqa: F401  (registers the serialisable model classes)

    # Compiled: a model trained with EMA creates its averaged weights in `compile`, so only a
    # compiled load restores them (and samples with them).
    return TrainingModelSource(keras.saving.load_model(os.path.join(path, MODEL_FILE)))


def _check_evaluable(config):
    model_name = config.get("model")
    if model_name not in EVALUATORS:
        raise ValueError(
            f"No evaluator for model {model_name!r}; expected one of {', '.join(sorted(EVALUATORS))}."
        )
    evaluator = EVALUATORS[model_name]
    if config.get("dataset") not in evaluator.datasets:
        raise ValueError(
            f"{model_name} runs are evaluated on dataset {' or '.join(map(repr, evaluator.datasets))} (the "
            f"data with a reference classifier); received dataset {config.get('dataset')!r}."
        )
    return evaluator


def skip_reason(config):
    """Why runs of `config` cannot be evaluated, or None when they can.

    Training calls it so that models and datasets without a reference classifier (LAPGAN on
    faces, anything on a folder) skip the evaluation with a log line instead of failing.

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
    bound = evaluator.max_samples
    if (
        isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 2
        or (bound is not None and num_samples > bound)
    ):
        raise ValueError(
            f"{name} must be an integer in [2, {bound if bound is not None else 'inf'}] for "
            f"{config.get('model')} runs on {config.get('dataset')!r} (the held-out data bound the "
            f"real baseline); received {num_samples!r}."
        )


def summary_line(evaluation):
    """One line of an evaluation's headline figures, each beside the real baseline's.

    E.g. `cgan on digits, n=896: conditional_accuracy 0.912 (real 0.978), FCD 1.23 = 1.85x real`.
    """
    parts = []
    for title, section in sections(evaluation):
        generated, baseline = section["generated"], section["real_baseline"]
        figures = []
        for name in ("conditional_accuracy", "domain_accuracy", "classifier_score"):
            if name in generated:
                figures.append(f"{name} {generated[name]:.3f} (real {baseline[name]:.3f})")
                break
        figures.append(
            f"FCD {generated['frechet_classifier_distance']:.3g} = {section['fcd_ratio']:.2f}x real"
        )
        parts.append((f"{title}: " if title else "") + ", ".join(figures))
    return (
        f"{evaluation['model']} on {evaluation['dataset']}, n={evaluation['num_samples']}: " + "; ".join(parts)
    )


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


def evaluate_run(path, num_samples=None, seed=0, cache_dir=None, config=None, write=True):
    """Evaluates a training run folder or an exported generator and records it in `metrics.json`.

    Args:
        path: A run folder (`config.json` + `model.keras`) or an exported generator (`.keras`
            file, SavedModel folder or `.onnx` file) in or below its run folder.
        num_samples: Images per set (generated, real train, real held-out); default
            the smaller of the reference data's splits (896 for the digits, 500 crops per domain
            for the textures).
        seed: Seed of the generator's noise and of the subsets drawn.
        cache_dir: Cache folder of the reference classifiers (default `~/.cache/keras_gans`).
        config: The run's config dict, when `path` is not in or below its run folder.
        write: Merge the result into `metrics.json` (the run folder's; for an exported generator
            the one beside it) under the `"evaluation"` key.

    Returns:
        The evaluation: `model`, `dataset`, `source`, `seed`, `num_samples`, `classifier`,
        `generated` and `real_baseline` figures, `fcd_ratio`, and `metrics_path` when written.

    Raises:
        ValueError: If `path` is neither, the run's model has no evaluator, its dataset has no
            reference classifier, or `num_samples` is out of range.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer; received {seed!r}.")
    config, is_run_folder, metrics_path = _locate(path, config)
    evaluator = _check_evaluable(config)
    context = EvalContext(config, _load_source(path, is_run_folder), num_samples, seed, cache_dir)
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
