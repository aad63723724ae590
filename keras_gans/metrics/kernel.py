"""Kernel distance: the Kernel Inception Distance's math on any feature extractor's activations.

Binkowski et al. 2018, https://arxiv.org/abs/1801.01401: the unbiased estimate of the squared
maximum mean discrepancy (MMD^2) with the cubic polynomial kernel `k(x, y) = (x.y / D + 1)^3`,
averaged over random subsets. Unlike the Frechet distance its estimate is unbiased in N, so small
sets can be compared; it can be slightly negative when the sets come from the same distribution.
"""

import numpy as np

from keras_gans.metrics import checks


def polynomial_kernel(x, y, degree=3, coef0=1.0):
    """`(x y^T / D + coef0)^degree` for `x [N, D]` and `y [M, D]`."""
    return (x @ y.T / x.shape[1] + coef0) ** degree


def mmd2_unbiased(features1, features2):
    """The unbiased MMD^2 estimate with the cubic polynomial kernel between two sets.

    Args:
        features1: `[M, D]`, M >= 2.
        features2: `[N, D]`, N >= 2.

    Returns:
        `sum_{i != j} k(x_i, x_j) / (M (M - 1)) + sum_{i != j} k(y_i, y_j) / (N (N - 1))
        - 2 sum_{i, j} k(x_i, y_j) / (M N)`.
    """
    m, n = len(features1), len(features2)
    k_xx = polynomial_kernel(features1, features1)
    k_yy = polynomial_kernel(features2, features2)
    k_xy = polynomial_kernel(features1, features2)
    within_x = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    within_y = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(within_x + within_y - 2.0 * k_xy.mean())


def kernel_distance(features1, features2, num_subsets=100, subset_size=1000, seed=0):
    """The kernel (KID) distance between two sets of features, averaged over random subsets.

    Args:
        features1: `[N1, D]` activations of the first set (e.g. generated images), N1 >= 2.
        features2: `[N2, D]` activations of the second set (e.g. real images), N2 >= 2.
        num_subsets: How many subset pairs to average over.
        subset_size: Size of each subset, drawn without replacement from each set; capped at
            `min(N1, N2)`.
        seed: Seed of the subset draws.

    Returns:
        `(mean, std)` of the per-subset MMD^2 estimates.

    Raises:
        ValueError: On sets that are not finite `[N, D]` arrays with N >= 2, different D, or
            `num_subsets` / `subset_size` that are not integers >= 1 (subset_size >= 2).
    """
    features1 = checks.check_matrix("features1", features1, min_rows=2)
    features2 = checks.check_matrix("features2", features2, min_rows=2)
    checks.check_same_width("features1", features1, "features2", features2)
    num_subsets = checks.check_int_in("num_subsets", num_subsets, 1, 10**6)
    subset_size = checks.check_int_in("subset_size", subset_size, 2, 10**9)
    size = min(subset_size, len(features1), len(features2))
    rng = np.random.default_rng(seed)
    estimates = [
        mmd2_unbiased(
            features1[rng.choice(len(features1), size, replace=False)],
            features2[rng.choice(len(features2), size, replace=False)],
        )
        for _ in range(num_subsets)
    ]
    return float(np.mean(estimates)), float(np.std(estimates))
