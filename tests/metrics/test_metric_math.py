"""The metric math against hand-computed values on small Gaussians and hand-made predictions."""

import numpy as np
import pytest
import scipy.linalg

from keras_gans import metrics
from keras_gans.metrics.kernel import mmd2_unbiased
from keras_gans.metrics.scores import classifier_score_from_log_probs


# -- Frechet distance ----------------------------------------------------------------------------
def test_frechet_distance_of_unit_shift_is_the_dimension():
    d = 7
    assert metrics.frechet_distance(np.zeros(d), np.eye(d), np.ones(d), np.eye(d)) == pytest.approx(
        d
    )


def test_frechet_distance_of_scaled_identities():
    # |mu|^2 + d (a + b - 2 sqrt(a b)) = 4 + 3 (1 + 4 - 4) = 7 for N(0, I) vs N((2, 0, 0), 4 I).
    d = 3
    mu2 = np.array([2.0, 0.0, 0.0])
    assert metrics.frechet_distance(np.zeros(d), np.eye(d), mu2, 4 * np.eye(d)) == pytest.approx(
        7.0
    )


def test_frechet_distance_matches_scipy_sqrtm_on_random_covariances():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 6, 6))
    sigma1, sigma2 = a @ a.T, b @ b.T
    mu1, mu2 = rng.normal(size=(2, 6))
    root = scipy.linalg.sqrtm(sigma1 @ sigma2).real
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(sigma1 + sigma2 - 2 * root)
    assert metrics.frechet_distance(mu1, sigma1, mu2, sigma2) == pytest.approx(expected, rel=1e-8)


def test_frechet_distance_is_zero_on_equal_singular_gaussians():
    # Rank-1 covariance: sqrtm-based code returns complex or slightly negative values here.
    v = np.array([[1.0], [2.0], [3.0]])
    sigma = v @ v.T
    assert metrics.frechet_distance(np.ones(3), sigma, np.ones(3), sigma) == pytest.approx(
        0.0, abs=1e-9
    )


def test_frechet_classifier_distance_of_sampled_gaussians():
    rng = np.random.default_rng(1)
    d, n = 4, 20000
    fd = metrics.frechet_classifier_distance(rng.normal(size=(n, d)), rng.normal(1.0, size=(n, d)))
    assert fd == pytest.approx(d, abs=0.1)


def test_frechet_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"same feature size; received 3 and 4"):
        metrics.frechet_classifier_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"N >= 2 and D >= 1; received shape \(1, 3\)"):
        metrics.frechet_classifier_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"same dimension; received 2 and 3"):
        metrics.frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="symmetric"):
        metrics.frechet_distance(np.zeros(2), [[1.0, 1.0], [0.0, 1.0]], np.zeros(2), np.eye(2))


# -- Classifier score ----------------------------------------------------------------------------
def test_classifier_score_of_uniform_logits_is_one():
    assert metrics.classifier_score(np.zeros((40, 10)), splits=4) == pytest.approx((1.0, 0.0))


def test_classifier_score_of_confident_distinct_predictions_is_the_class_count():
    logits = np.tile(np.eye(5) * 100.0, (4, 1))  # each split of 5 sees every class once
    mean, std = metrics.classifier_score(logits, splits=4)
    assert mean == pytest.approx(5.0) and std == pytest.approx(0.0, abs=1e-9)


def test_classifier_score_of_two_half_confident_samples():
    # p1 = (1, 0), p2 = (1/2, 1/2): marginal (3/4, 1/4);
    # KL1 = log(4/3), KL2 = 1/2 log(2/3) + 1/2 log 2.
    log_probs = np.log(np.array([[1.0, 1e-300], [0.5, 0.5]]))
    expected = np.exp((np.log(4 / 3) + 0.5 * np.log(2 / 3) + 0.5 * np.log(2)) / 2)
    assert classifier_score_from_log_probs(log_probs) == pytest.approx(expected)


def test_classifier_score_rejects_bad_splits():
    with pytest.raises(ValueError, match=r"splits must be an integer in \[1, 3\]; received 4"):
        metrics.classifier_score(np.zeros((3, 2)), splits=4)


# -- Kernel distance -----------------------------------------------------------------------------
def test_mmd2_on_a_hand_case():
    # k(a, b) = (a b + 1)^3 in 1-D. Within x = {0, 1}: k(0, 1) = 1; within y = {0, 2}: 1;
    # across: k(0,0) + k(0,2) + k(1,0) + k(1,2) = 1 + 1 + 1 + 27 = 30 -> 1 + 1 - 2 * 30 / 4 = -13.
    x, y = np.array([[0.0], [1.0]]), np.array([[0.0], [2.0]])
    assert mmd2_unbiased(x, y) == pytest.approx(-13.0)
    mean, std = metrics.kernel_distance(x, y, num_subsets=3, subset_size=2)
    assert (mean, std) == pytest.approx((-13.0, 0.0))


def test_kernel_distance_is_near_zero_for_one_distribution_and_grows_with_shift():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 600, 8))
    same, _ = metrics.kernel_distance(a, b, num_subsets=20, subset_size=300)
    shifted, _ = metrics.kernel_distance(a, b + 1.0, num_subsets=20, subset_size=300)
    assert abs(same) < 0.02
    assert shifted > 1.0


def test_kernel_distance_rejects_bad_subsets():
    with pytest.raises(ValueError, match=r"subset_size must be an integer in \[2, "):
        metrics.kernel_distance(np.zeros((4, 2)), np.zeros((4, 2)), subset_size=1)


# -- Accuracies ----------------------------------------------------------------------------------
def test_conditional_accuracy_counts_matching_predictions():
    logits = np.eye(4)[[0, 1, 2, 3, 0]]  # predicts 0, 1, 2, 3, 0
    assert metrics.conditional_accuracy(logits, [0, 1, 2, 0, 0]) == pytest.approx(0.8)


def test_conditional_accuracy_errors():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\); received min 0, max 5"):
        metrics.conditional_accuracy(np.zeros((2, 2)), [0, 5])
    with pytest.raises(ValueError, match=r"labels must be \[2\] integers"):
        metrics.conditional_accuracy(np.zeros((2, 2)), [0.0, 1.0])


def test_domain_accuracy_with_one_target_or_per_image_targets():
    logits = np.array([[2.0, 1.0], [0.0, 3.0], [0.0, 1.0]])  # predicts 0, 1, 1
    assert metrics.domain_accuracy(logits, 1) == pytest.approx(2 / 3)
    assert metrics.domain_accuracy(logits, [0, 1, 0]) == pytest.approx(2 / 3)
