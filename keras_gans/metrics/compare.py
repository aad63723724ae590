"""Generated images beside real ones: the figures of one evaluation, and its one-line summary.

Pure functions of a reference classifier (`compare`) or a feature extractor (`compare_features`,
for the user's own folders) and image arrays; `keras_gans.metrics.evaluators` applies them per
model and `keras_gans.metrics.evaluate` to a run folder.
"""

import numpy as np

from keras_gans.metrics.accuracy import conditional_accuracy
from keras_gans.metrics.folder_features import feature_set_metrics
from keras_gans.metrics.frechet import frechet_classifier_distance
from keras_gans.metrics.kernel import kernel_distance
from keras_gans.metrics.memorisation import memorisation_ratio, nearest_neighbour_distances
from keras_gans.metrics.scores import classifier_score


def min_class_share(logits):
    """The share of examples whose most likely class (of `logits [N, K]`) is the rarest one."""
    counts = np.bincount(np.argmax(logits, axis=1), minlength=logits.shape[1])
    return float(counts.min() / len(logits))


def set_metrics(
    classifier, images, reference_features, labels=None, training_features=None, seed=0
):
    """Figures of one set of `images` against real reference features.

    Args:
        classifier: A `ReferenceClassifier`.
        images: `[N, H, W, C]` images (generated, or real for the baseline).
        reference_features: `[N, F]` classifier features of the real reference set.
        labels: `[N]` intended classes; adds `conditional_accuracy`.
        training_features: `[M, F]` features of the generator's training images; adds
            `training_nn_distance`, the mean distance of `images` to their nearest training image.
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{classifier_score, classifier_score_std, frechet_classifier_distance, kernel_distance,
        kernel_distance_std, min_class_share[, conditional_accuracy][, training_nn_distance]}`;
        `min_class_share` is the share of `images` predicted as the rarest class (1 / K when
        every class is equally common, 0 when one is never made: a dropped mode).
    """
    logits, features = classifier.predict(images)
    score, score_std = classifier_score(logits, splits=min(10, len(logits)))
    kid, kid_std = kernel_distance(
        features,
        reference_features,
        num_subsets=50,
        subset_size=max(2, len(features) // 2),
        seed=seed,
    )
    figures = {
        "classifier_score": score,
        "classifier_score_std": score_std,
        "frechet_classifier_distance": frechet_classifier_distance(features, reference_features),
        "kernel_distance": kid,
        "kernel_distance_std": kid_std,
        "min_class_share": min_class_share(logits),
    }
    if labels is not None:
        figures["conditional_accuracy"] = conditional_accuracy(logits, labels)
    if training_features is not None:
        distances = nearest_neighbour_distances(features, training_features)
        figures["training_nn_distance"] = float(distances.mean())
    return figures


def compare(
    classifier,
    generated,
    *,
    reference,
    baseline,
    training,
    labels=None,
    baseline_labels=None,
    seed=0,
):
    """Generated-versus-real figures beside real-versus-real ones, at the same n.

    Every real set is one the reference classifier did not train on, except `training`, which
    only serves the memorisation ratio.

    Args:
        classifier: A `ReferenceClassifier`.
        generated: `[n, H, W, C]` generated (or translated) images.
        reference: `[n, H, W, C]` held-out real images: the reference of both comparisons (the
            digits' `heldout_a`).
        baseline: `[n, H, W, C]` other held-out real images, disjoint from `reference` (the
            digits' `heldout_b`): the real baseline.
        training: `[M, H, W, C]` images the generator trained on (or a sample of them).
        labels: `[n]` classes the generated images should have: adds `conditional_accuracy`.
        baseline_labels: `[n]` classes of `baseline` (needed with `labels`, unused without).
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{"generated": figures, "real_baseline": figures, "fcd_ratio": float,
        "memorisation_ratio": float}`. Distances compare each set with `reference`;
        `training_nn_distance` is each set's mean distance to its nearest training image, and
        `memorisation_ratio` the generated one over the baseline's (about 1 without copying).

    Raises:
        ValueError: If `labels` is given without `baseline_labels`.
    """
    if labels is not None and baseline_labels is None:
        raise ValueError(
            "baseline_labels must be given with labels (the baseline's conditional accuracy "
            "needs them); received baseline_labels=None."
        )
    reference_features = classifier.features(reference)
    training_features = classifier.features(training)
    generated_figures = set_metrics(
        classifier, generated, reference_features, labels, training_features, seed=seed
    )
    baseline_figures = set_metrics(
        classifier,
        baseline,
        reference_features,
        baseline_labels if labels is not None else None,
        training_features,
        seed=seed,
    )
    return {
        "generated": generated_figures,
        "real_baseline": baseline_figures,
        "fcd_ratio": generated_figures["frechet_classifier_distance"]
        / max(baseline_figures["frechet_classifier_distance"], 1e-12),
        "memorisation_ratio": memorisation_ratio(
            generated_figures["training_nn_distance"], baseline_figures["training_nn_distance"]
        ),
    }


#: Neighbour rank of precision and recall (Kynkaanniemi et al.'s), lowered on sets of 3 or fewer.
PRECISION_RECALL_K = 3
#: The extractor name whose Frechet distance is the standard FID (`InceptionFeatures.name`).
INCEPTION_FEATURES = "inception_pool3"


def compare_features(extractor, generated, *, reference, baseline, training, seed=0):
    """`compare` on a feature extractor's features: the figures of a folder without a classifier.

    Args:
        extractor: Maps `[N, H, W, C]` images to `[N, D]` features and has a `name`
            (`keras_gans.metrics.folder_features.feature_extractor`).
        generated: `[n, H, W, C]` generated (or translated) images.
        reference: `[n, H, W, C]` held-out real images (a folder's `heldout_a`).
        baseline: `[n, H, W, C]` other held-out real images (`heldout_b`): the real baseline.
        training: `[M, H, W, C]` the generator's training images.
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{"features": extractor name, "precision_recall_k": k, "generated": figures,
        "real_baseline": figures, "fd_ratio": float, "memorisation_ratio": float}`; figures are
        `feature_set_metrics`' (`frechet_distance`, `kernel_distance`, `precision`, `recall`)
        and `training_nn_distance`. `frechet_distance` is the FID only when `features` is
        `"inception_pool3"`.
    """
    reference_features = extractor(reference)
    training_features = extractor(training)
    # Each set needs k other members; n = 2 still gets figures (k = 1).
    k = max(1, min(PRECISION_RECALL_K, len(generated) - 1, len(reference) - 1, len(baseline) - 1))
    results = {}
    for key, images in (("generated", generated), ("real_baseline", baseline)):
        features = extractor(images)
        figures = feature_set_metrics(features, reference_features, k=k, seed=seed)
        distances = nearest_neighbour_distances(features, training_features)
        figures["training_nn_distance"] = float(distances.mean())
        results[key] = figures
    generated_figures, baseline_figures = results["generated"], results["real_baseline"]
    return {
        "features": extractor.name,
        "precision_recall_k": k,
        **results,
        "fd_ratio": generated_figures["frechet_distance"]
        / max(baseline_figures["frechet_distance"], 1e-12),
        "memorisation_ratio": memorisation_ratio(
            generated_figures["training_nn_distance"], baseline_figures["training_nn_distance"]
        ),
    }


def distance_name(section):
    """What a section's Frechet distance is: `FCD` (a classifier's), `FID` (Inception's) or
    `FD on <features>` (e.g. the random-convolution fallback's)."""
    if "fd_ratio" not in section:
        return "FCD"
    features = section.get("features")
    return "FID" if features == INCEPTION_FEATURES else f"FD on {features}"


def sections(evaluation):
    """`[(title, {"generated", "real_baseline", "fcd_ratio", ...})]` of an evaluation: one untitled
    section, or one per named part (e.g. CycleGAN's directions)."""
    if "generated" in evaluation:
        return [("", evaluation)]
    return [
        (name, part)
        for name, part in evaluation.items()
        if isinstance(part, dict) and "generated" in part
    ]


def summary_line(evaluation):
    """One line of an evaluation's headline figures, each beside the real baseline's.

    E.g. `cgan on digits, n=447: conditional_accuracy 0.912 (real 0.978), FCD 1.23 = 1.85x real,
    memorisation ratio 0.97 (1 = unseen)`; on a folder `dcgan on folder:faces, n=50: precision
    0.620 (real 0.780), recall 0.410 (real 0.760), FD on random_conv_seed0_64px 3.1 = 2.40x real,
    ...` (or `FID` with the user's Inception graph).
    """
    parts = []
    for title, section in sections(evaluation):
        generated, baseline = section["generated"], section["real_baseline"]
        figures = []
        if "fd_ratio" in section:
            for name in ("precision", "recall"):
                figures.append(f"{name} {generated[name]:.3f} (real {baseline[name]:.3f})")
            distance, ratio = generated["frechet_distance"], section["fd_ratio"]
        else:
            for name in ("conditional_accuracy", "domain_accuracy", "classifier_score"):
                if name in generated:
                    figures.append(f"{name} {generated[name]:.3f} (real {baseline[name]:.3f})")
                    break
            distance, ratio = generated["frechet_classifier_distance"], section["fcd_ratio"]
        figures.append(f"{distance_name(section)} {distance:.3g} = {ratio:.2f}x real")
        if "memorisation_ratio" in section:  # absent from evaluations before it was added
            figures.append(f"memorisation ratio {section['memorisation_ratio']:.2f} (1 = unseen)")
        parts.append((f"{title}: " if title else "") + ", ".join(figures))
    return (
        f"{evaluation['model']} on {evaluation['dataset']}, n={evaluation['num_samples']}: "
        + "; ".join(parts)
    )
