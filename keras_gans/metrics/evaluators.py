"""The per-model evaluators: which images each model is scored on, against which real data.

Evaluators are registered by name with `register_evaluator(name, datasets=...)`: one takes an
`EvalContext` and returns a dict of figures. A model names the evaluator of its runs in its
`ModelSpec` (`keras_gans.registry`). Registered here: `digits` (images of the digits, class-
conditional or not), `captioned_digits` (images from the digits' captions) and `translation`
(grass/gravel textures in both directions); `keras_gans.metrics.folder_evaluators` registers
`folder` and `folders`, the user's own images.
"""

import dataclasses
from typing import Callable, Optional

import numpy as np

from keras_gans.metrics import classifiers as classifiers_lib
from keras_gans.metrics.compare import compare
from keras_gans.metrics.sources import TrainingModelSource


def require_run_folder(context, what):
    """A ValueError for exported generators, where the evaluator needs every graph of the model."""
    if not isinstance(context.source, TrainingModelSource):
        raise ValueError(
            f"{context.config.get('model')} is evaluated from its run folder ({what}); "
            "pass the run folder rather than an exported generator."
        )


# -- Dispatch ------------------------------------------------------------------------------------
@dataclasses.dataclass
class EvalContext:
    """What an evaluator gets.

    Attributes:
        config: The run's `config.json` (`model`, `dataset`, `image_size`, `channels`, ...).
        source: A `TrainingModelSource` (run folder: `.model` is the training model) or an
            `ExportedSource`; both offer `generate(inputs, num_images, seed) -> {output: array}`,
            keyed by the graphs' input names (`labels`, `captions`, `image_a`...).
        num_samples: Requested samples per set, or None for the evaluator's default.
        seed: Seed of the generator's noise and of subset draws.
        cache_dir: Cache folder of the reference classifiers (None: the default).
        inception_graph: The user's Inception `GraphDef` for standard FID/KID on folders (None:
            the download-free random-convolution features).
        inception_sha256: The sha256 that graph must have.
    """

    config: dict
    source: object
    num_samples: Optional[int]
    seed: int
    cache_dir: Optional[str]
    inception_graph: Optional[str] = None
    inception_sha256: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Evaluator:
    """A registered evaluator: `fn(context) -> dict`, the datasets it has reference data for and
    the most samples per set that data allows (an int, `fn(config) -> int`, or None: checked only
    when evaluating).

    A dataset ending in a form such as `folder:PATH` accepts every spec of that kind. An evaluator
    that `stands_in_for` other evaluator names also scores the runs of models whose spec names
    those, on its own datasets (the folder evaluators stand in for `digits` and `translation`).
    `features` says it scores on a feature extractor (and so reads `--inception_graph`).
    """

    fn: Callable
    datasets: tuple
    max_samples: object = None
    stands_in_for: tuple = ()
    features: bool = False

    def accepts(self, dataset):
        """Whether runs on `dataset` (a spec string) are scored by this evaluator."""
        if not isinstance(dataset, str):
            return False
        return any(
            dataset == form or (":" in form and dataset.startswith(form.split(":")[0] + ":"))
            for form in self.datasets
        )

    def bound(self, config):
        """The most samples per set for `config`'s run, or None when unknown before evaluating."""
        return self.max_samples(config) if callable(self.max_samples) else self.max_samples


EVALUATORS: dict = {}


def register_evaluator(
    *names, datasets, max_samples=None, stands_in_for=(), features=False
) -> Callable:
    """Decorator: `@register_evaluator("name", datasets=("digits",))` registers
    `fn(context) -> dict` as the evaluator `name`, for runs on those datasets of models whose spec
    names it.

    The dict holds `classifier` and `num_samples`, and either `generated`, `real_baseline`,
    `fcd_ratio` and `memorisation_ratio` (see `compare`) or one such section per named part (e.g.
    per direction).
    `max_samples` lets `check_num_samples` refuse a too large `num_samples` before a run trains.
    `stands_in_for` and `features`: see `Evaluator`.
    """

    def decorator(fn):
        for name in names:
            EVALUATORS[name] = Evaluator(
                fn, tuple(datasets), max_samples, tuple(stands_in_for), features
            )
        return fn

    return decorator


def check_sample_count(num_samples, available, default=None):
    if num_samples is None:
        return min(available, default or available)
    if (
        isinstance(num_samples, bool)
        or not isinstance(num_samples, int)
        or not 2 <= num_samples <= available
    ):
        raise ValueError(
            f"num_samples must be an integer in [2, {available}] (the smaller of the two disjoint "
            f"held-out sets, the evaluation's reference and the real baseline); received "
            f"{num_samples!r}."
        )
    return num_samples


def is_conditional(config):
    """Whether the run's generator takes class labels (CGAN, a conditional LAPGAN)."""
    return config["model"] == "cgan" or bool(config.get("conditional"))


def cycle_l1(context, name, translated, inputs):
    """Mean absolute difference (pixels in [-1, 1]) between `inputs` and their `translated`
    images (made by the `name` input's generator) translated back by the other generator: how
    much of its input a translation keeps."""
    back = "image_b" if name == "image_a" else "image_a"
    restored = context.source.generate({back: translated}, seed=context.seed)["images"]
    return float(np.mean(np.abs(restored - inputs)))


def _classifier_summary(classifier):
    return {
        "name": classifier.name,
        "heldout_accuracy": classifier.heldout_accuracy,
        "image_size": classifier.image_size,
    }


# Images in the digits' smaller held-out quarter (`digits_parts`: 447 in `heldout_a`, 454 in
# `heldout_b`): the evaluation compares n images with n of `heldout_a`, the baseline n of each.
_DIGITS_MAX_SAMPLES = 447


def _digits_sets(context):
    """Reference classifier, `n`, the digits' `train` part, seeded subsets of `heldout_a` (the
    reference) and `heldout_b` (the baseline) with their labels, and the `heldout_a` pick."""
    image_size = int(context.config["image_size"])
    classifier = classifiers_lib.digits_classifier(image_size, cache_dir=context.cache_dir)
    parts = classifiers_lib.digits_parts(image_size)
    (reference, reference_labels), (baseline, baseline_labels) = (
        parts["heldout_a"],
        parts["heldout_b"],
    )
    n = check_sample_count(context.num_samples, min(len(reference), len(baseline)))
    rng = np.random.default_rng(context.seed)
    reference_pick = rng.choice(len(reference), n, replace=False)
    baseline_pick = rng.choice(len(baseline), n, replace=False)
    sets = {
        "reference": reference[reference_pick],
        "baseline": baseline[baseline_pick],
        "training": parts["train"][0],
        "baseline_labels": baseline_labels[baseline_pick],
    }
    return classifier, n, sets, reference_labels[reference_pick], reference_pick


@register_evaluator("digits", datasets=("digits",), max_samples=_DIGITS_MAX_SAMPLES)
def evaluate_digits(context):
    """GAN, DCGAN, CGAN and LAPGAN on the digits: classifier score, Frechet and kernel distances,
    and for class-conditional models conditional accuracy; each beside the real baseline; and the
    memorisation ratio.

    Generated images are compared with n images of `heldout_a`; the baseline compares n images of
    `heldout_b` with the same ones; neither quarter reaches the generator's training data (the
    `train` part). Conditional models are asked for the `heldout_a` subset's labels, so both
    sets have the same class histogram.
    """
    classifier, n, sets, reference_labels, _ = _digits_sets(context)
    labels = reference_labels if is_conditional(context.config) else None
    inputs = {"labels": labels} if labels is not None else None
    generated = context.source.generate(inputs, num_images=n, seed=context.seed)["images"]
    return {
        "classifier": _classifier_summary(classifier),
        "num_samples": n,
        **compare(classifier, generated, labels=labels, seed=context.seed, **sets),
    }


@register_evaluator("captioned_digits", datasets=("digits",), max_samples=_DIGITS_MAX_SAMPLES)
def evaluate_captioned_digits(context):
    """StackGAN on the captioned digits: images generated from the `heldout_a` digits' own
    captions ("a thick seven leaning right"), scored like a conditional model on the digit they
    name."""
    from keras_gans.data.digit_captions import load_digit_captions

    require_run_folder(context, "its caption graph turns captions into images")
    classifier, n, sets, reference_labels, reference_pick = _digits_sets(context)
    # One (complete) caption per digit, in `heldout_a`'s order.
    _, captions, _ = load_digit_captions(8, captions_per_image=1, part="heldout_a")
    captions = captions[reference_pick]
    generated = context.source.generate({"captions": captions}, seed=context.seed)["images"]
    return {
        "classifier": _classifier_summary(classifier),
        "num_samples": n,
        **compare(classifier, generated, labels=reference_labels, seed=context.seed, **sets),
    }


# Crops per domain and region scored for translation models, unless num_samples says otherwise.
_TRANSLATION_SAMPLES = 500
# Crops per domain and region at most (they are drawn at random positions, so any n would do).
_TRANSLATION_MAX_SAMPLES = 5000


@register_evaluator("translation", datasets=("textures",), max_samples=_TRANSLATION_MAX_SAMPLES)
def evaluate_translation(context):
    """CycleGAN on the textures: per direction, domain accuracy (share of translated held-out crops
    the grass/gravel classifier assigns to the target domain), Frechet and kernel distances of the
    translations to held-out crops of the target domain, and the memorisation ratio; beside the
    target domain's real figures. `cycle_l1` is the mean absolute difference (pixels in [-1, 1])
    between a held-out crop and its translation translated back.

    The held-out bottom quarter of each photo is halved (`texture_crops` regions `heldout_a`,
    `heldout_b`: no pixel shared, none with the training region): translations of `heldout_a`
    crops of the source domain are compared with other `heldout_a` crops of the target domain,
    the baseline compares its `heldout_b` crops with the same ones; training-region crops of the
    target domain stand for the training images.
    """
    require_run_folder(context, "it translates real crops in both directions")
    image_size = int(context.config["image_size"])
    classifier = classifiers_lib.texture_classifier(image_size, cache_dir=context.cache_dir)
    n = check_sample_count(
        context.num_samples, _TRANSLATION_MAX_SAMPLES, default=_TRANSLATION_SAMPLES
    )
    # Crops other than the classifier's own (it trained on seed 0's train-region crops).
    evaluation_seed = 1000 + context.seed
    crops = {
        name: classifiers_lib.texture_crops(image_size, n, region, evaluation_seed)[0]
        for name, region in (
            ("training", "train"),
            ("reference", "heldout_a"),
            ("baseline", "heldout_b"),
        )
    }
    sources = classifiers_lib.texture_crops(image_size, n, "heldout_a", evaluation_seed + 1)[0]
    channels = int(context.config.get("channels") or 1)
    results = {}
    for direction, source, target in (("a_to_b", 0, 1), ("b_to_a", 1, 0)):
        inputs = sources[source * n : (source + 1) * n]
        inputs = np.repeat(inputs, channels, axis=-1) if channels == 3 else inputs
        # The input names the direction: `image_a` runs a_to_b, `image_b` runs b_to_a.
        name = "image_a" if direction == "a_to_b" else "image_b"
        translated = context.source.generate({name: inputs}, seed=context.seed)["images"]
        target_slice = slice(target * n, (target + 1) * n)
        section = compare(
            classifier,
            translated,
            **{key: images[target_slice] for key, images in crops.items()},
            labels=np.full(n, target),
            baseline_labels=np.full(n, target),
            seed=context.seed,
        )
        for figures in (section["generated"], section["real_baseline"]):
            figures["domain_accuracy"] = figures.pop("conditional_accuracy")
        section["cycle_l1"] = cycle_l1(context, name, translated, inputs)
        results[direction] = section
    return {"classifier": _classifier_summary(classifier), "num_samples": n, **results}
