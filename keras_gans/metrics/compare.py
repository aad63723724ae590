"""Generated images beside real ones: the figures of one evaluation, and its one-line summary.

Pure functions of a reference classifier and image arrays; `keras_gans.metrics.evaluators`
applies them per model and `keras_gans.metrics.evaluate` to a run folder.
"""

from keras_gans.metrics.accuracy import conditional_accuracy
from keras_gans.metrics.frechet import frechet_classifier_distance
from keras_gans.metrics.kernel import kernel_distance
from keras_gans.metrics.scores import classifier_score


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
    }
    if labels is not None:
        figures["conditional_accuracy"] = conditional_accuracy(logits, labels)
    return figures


def compare(
    classifier, generated, real_train, real_heldout, labels=None, heldout_labels=None, seed=0
):
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


def sections(evaluation):
    """`[(title, {"generated", "real_baseline", "fcd_ratio"})]` of an evaluation: one untitled
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
        f"{evaluation['model']} on {evaluation['dataset']}, n={evaluation['num_samples']}: "
        + "; ".join(parts)
    )
