"""Accuracies under a reference classifier: conditional generation and domain translation."""

import numpy as np

from keras_gans.metrics import checks


def _predicted_classes(logits):
    return checks.check_matrix("logits", logits).argmax(axis=1)


def conditional_accuracy(logits, labels):
    """The share of samples that a classifier assigns to the class they were generated for.

    Args:
        logits: `[N, K]` classifier scores (logits or probabilities) of N generated images.
        labels: `[N]` integer classes the generator was asked for, in `[0, K)`.

    Returns:
        A float in [0, 1].

    Raises:
        ValueError: If `labels` is not `[N]` integers in `[0, K)`.
    """
    predicted = _predicted_classes(logits)
    num_classes = np.shape(logits)[1]
    labels = np.asarray(labels)
    if labels.shape != predicted.shape or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be [{len(predicted)}] integers to match logits; received shape "
            f"{labels.shape} and dtype {labels.dtype}."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"labels must lie in [0, {num_classes}); received min {labels.min()}, max "
            f"{labels.max()}."
        )
    return float(np.mean(predicted == labels))


def domain_accuracy(logits, target_domain):
    """The share of translated images that a domain classifier assigns to the target domain.

    Args:
        logits: `[N, K]` domain-classifier scores of N translated images.
        target_domain: The target domain index in `[0, K)` (an int), or `[N]` per-image targets.

    Returns:
        A float in [0, 1].

    Raises:
        ValueError: If the target is not an integer (or `[N]` integers) in `[0, K)`.
    """
    count = np.shape(logits)[0] if np.ndim(logits) == 2 else 0
    targets = np.asarray(target_domain)
    if targets.ndim == 0:
        targets = np.full(count, targets)
    return conditional_accuracy(logits, targets)
