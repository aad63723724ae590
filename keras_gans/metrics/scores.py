"""Classifier score: the Inception Score's math on any classifier's logits.

Salimans et al. 2016, https://arxiv.org/abs/1606.03498: `exp(E_x KL(p(y|x) || p(y)))`. It is 1 when
every sample gets the same prediction and the number of classes when predictions are confident and
spread evenly over the classes. TF-GAN's `classifier_score` applies it to any classifier; with a
domain classifier trained on the bundled data it needs no download.
"""

import numpy as np

from keras_gans.metrics import checks


def _log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def classifier_score_from_log_probs(log_probs):
    """`exp(mean KL(p(y|x) || p(y)))` of one set of per-sample log class probabilities `[N, K]`."""
    log_probs = np.asarray(log_probs, dtype=np.float64)
    probs = np.exp(log_probs)
    # log of the marginal p(y) = mean_x p(y|x), through log-sum-exp for confident predictions.
    log_marginal = np.logaddexp.reduce(log_probs, axis=0) - np.log(len(log_probs))
    kl = np.sum(probs * (log_probs - log_marginal), axis=1)
    return float(np.exp(kl.mean()))


def classifier_score(logits, splits=10):
    """The classifier score of `logits`, averaged over `splits` equal parts.

    Args:
        logits: `[N, K]` unnormalised class scores of N samples (a softmax is applied here).
        splits: Number of disjoint parts the score is computed on (the Inception Score uses 10);
            at most N. The last `N % splits` samples are left out so that parts are equal.

    Returns:
        `(mean, std)` of the per-part scores, floats in `[1, K]`.

    Raises:
        ValueError: If `logits` is not a finite 2-D array with at least one row and column, or
            `splits` is not an integer in `[1, N]`.
    """
    logits = checks.check_matrix("logits", logits)
    splits = checks.check_int_in("splits", splits, 1, len(logits))
    size = len(logits) // splits
    log_probs = _log_softmax(logits)
    scores = [
        classifier_score_from_log_probs(log_probs[i * size : (i + 1) * size]) for i in range(splits)
    ]
    return float(np.mean(scores)), float(np.std(scores))
