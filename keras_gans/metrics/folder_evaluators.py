"""Evaluators of runs on the user's own images: `folder:PATH` and `folders:PATH_A,PATH_B`.

A user's folder has no reference classifier, so its figures are on a feature extractor's features
(`keras_gans.metrics.folder_features.feature_extractor`): the standard Inception `pool_3` ones when
the user supplies the graph and its sha256 (`--inception_graph`, `--inception_sha256`), else the
download-free random-convolution fallback, whose Frechet distance is reported as `FD on
random_conv_seed0_64px`, never as FID.

The real baseline comes from the folder's held-out share (`keras_gans.data.folder.heldout_split`,
never trained on), split in two halves: generated images are compared with n images of
`heldout_a`, the baseline compares n images of `heldout_b` with the same ones, so both figures are
at the same n. The training share serves the memorisation ratio.
"""

import numpy as np

from keras_gans.data.folder import folder_arrays, heldout_half_size
from keras_gans.data.unpaired import DOMAINS, parse_unpaired_spec
from keras_gans.metrics.compare import compare_features
from keras_gans.metrics.evaluators import (
    check_sample_count,
    cycle_l1,
    is_conditional,
    register_evaluator,
    require_run_folder,
)
from keras_gans.metrics.folder_features import feature_extractor

_PARTS = ("train", "heldout_a", "heldout_b")


def _folder_paths(config):
    """The folder of a `folder:PATH` run, or the two of a `folders:PATH_A,PATH_B` run."""
    dataset = config["dataset"]
    if dataset.startswith("folders:"):
        return parse_unpaired_spec(dataset)[1]
    return (dataset.split(":", 1)[1],)


def _max_samples(config):
    """The smallest held-out half of the run's folders, from their file listings."""
    return min(heldout_half_size(path) for path in _folder_paths(config))


def _load_parts(config, path):
    """`{part: (images, labels)}` of one folder's training share and held-out halves."""
    image_size = int(config["image_size"])
    channels = int(config.get("channels") or 1)
    resize = config.get("resize") or "crop"
    return {part: folder_arrays(path, image_size, channels, resize, part) for part in _PARTS}


def _extractor(context):
    """The features the figures are on, and their summary for the report."""
    extractor = feature_extractor(context.inception_graph, context.inception_sha256)
    return extractor, {"name": extractor.name, "description": extractor.description}


def _sizes(parts):
    return {part: len(images) for part, (images, _) in parts.items()}


@register_evaluator(
    "folder",
    datasets=("folder:PATH",),
    max_samples=_max_samples,
    stands_in_for=("digits",),
    features=True,
)
def evaluate_folder(context):
    """GAN, DCGAN, CGAN and LAPGAN on a folder: Frechet and kernel distances, precision and
    recall of n generated images against n of the held-out half `heldout_a`, beside the same
    figures of n images of `heldout_b`; and the memorisation ratio against the training share.

    Class-conditional models are asked for the labels of the `heldout_a` images they are compared
    with, so both sets have the same class histogram.
    """
    parts = _load_parts(context.config, _folder_paths(context.config)[0])
    (reference, reference_labels), (baseline, _) = parts["heldout_a"], parts["heldout_b"]
    n = check_sample_count(context.num_samples, min(len(reference), len(baseline)))
    rng = np.random.default_rng(context.seed)
    reference_pick = rng.choice(len(reference), n, replace=False)
    baseline_pick = rng.choice(len(baseline), n, replace=False)
    inputs = None
    if is_conditional(context.config) and reference_labels is not None:
        inputs = {"labels": reference_labels[reference_pick]}
    generated = context.source.generate(inputs, num_images=n, seed=context.seed)["images"]
    extractor, summary = _extractor(context)
    return {
        "feature_extractor": summary,
        "num_samples": n,
        "folder_sizes": _sizes(parts),
        **compare_features(
            extractor,
            generated,
            reference=reference[reference_pick],
            baseline=baseline[baseline_pick],
            training=parts["train"][0],
            seed=context.seed,
        ),
    }


@register_evaluator(
    "folders",
    datasets=("folders:PATH_A,PATH_B",),
    max_samples=_max_samples,
    stands_in_for=("translation",),
    features=True,
)
def evaluate_folders_translation(context):
    """CycleGAN on two folders, per direction: n held-out images of the source domain
    (`heldout_a`) translated and compared with n held-out images of the target domain
    (`heldout_a`), beside n other held-out target images (`heldout_b`) compared with the same;
    the memorisation ratio against the target domain's training share, and `cycle_l1` (see
    `keras_gans.metrics.evaluators.cycle_l1`).
    """
    require_run_folder(context, "it translates real images in both directions")
    domains = [_load_parts(context.config, path) for path in _folder_paths(context.config)]
    available = min(len(d[part][0]) for d in domains for part in ("heldout_a", "heldout_b"))
    n = check_sample_count(context.num_samples, available)
    rng = np.random.default_rng(context.seed)
    picks = [
        {part: rng.choice(len(d[part][0]), n, replace=False) for part in _PARTS[1:]}
        for d in domains
    ]
    extractor, summary = _extractor(context)
    results = {}
    for direction, source, target in (("a_to_b", 0, 1), ("b_to_a", 1, 0)):
        inputs = domains[source]["heldout_a"][0][picks[source]["heldout_a"]]
        # The input names the direction: `image_a` runs a_to_b, `image_b` runs b_to_a.
        name = DOMAINS[source]
        translated = context.source.generate({name: inputs}, seed=context.seed)["images"]
        section = compare_features(
            extractor,
            translated,
            reference=domains[target]["heldout_a"][0][picks[target]["heldout_a"]],
            baseline=domains[target]["heldout_b"][0][picks[target]["heldout_b"]],
            training=domains[target]["train"][0],
            seed=context.seed,
        )
        section["cycle_l1"] = cycle_l1(context, name, translated, inputs)
        results[direction] = section
    sizes = {key: _sizes(d) for key, d in zip(DOMAINS, domains)}
    return {"feature_extractor": summary, "num_samples": n, "folder_sizes": sizes, **results}
