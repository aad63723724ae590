"""Frechet classifier distance: the FID's math on any feature extractor's activations.

Heusel et al. 2017, https://arxiv.org/abs/1706.08500: the Frechet (2-Wasserstein) distance between
Gaussians fitted to two sets of features,
`|mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2))`. With a classifier trained on the bundled
data as the extractor (TF-GAN's `frechet_classifier_distance`), it needs no download.
"""

import numpy as np

from keras_gans.metrics import checks


def _psd_sqrt(matrix):
    """Square root of a symmetric positive semi-definite matrix through its eigendecomposition."""
    values, vectors = np.linalg.eigh(matrix)
    # Rounding leaves tiny negative eigenvalues on singular covariances; they are zero.
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def trace_sqrt_product(sigma1, sigma2):
    """`tr((sigma1 sigma2)^(1/2))` for symmetric PSD matrices, without complex arithmetic.

    `sigma1 sigma2` is not symmetric, but it has the eigenvalues of the symmetric PSD matrix
    `sqrt(sigma1) sigma2 sqrt(sigma1)`, so the trace of its square root is the sum of their square
    roots. This avoids `scipy.linalg.sqrtm`'s complex round-off on near-singular covariances.
    """
    root = _psd_sqrt(sigma1)
    inner = root @ sigma2 @ root
    values = np.linalg.eigvalsh((inner + inner.T) / 2.0)
    return float(np.sum(np.sqrt(np.clip(values, 0.0, None))))


def _check_gaussian(name, mu, sigma):
    mu = np.asarray(mu, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if mu.ndim != 1 or sigma.shape != (mu.size, mu.size):
        raise ValueError(
            f"{name}: mu must be [D] and sigma [D, D]; received shapes {mu.shape} and "
            f"{sigma.shape}."
        )
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(sigma))):
        raise ValueError(f"{name}: mu and sigma must be finite.")
    if not np.allclose(sigma, sigma.T, rtol=1e-6, atol=1e-9 * max(1.0, np.abs(sigma).max())):
        raise ValueError(f"{name}: sigma must be symmetric.")
    return mu, (sigma + sigma.T) / 2.0


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """The Frechet distance between `N(mu1, sigma1)` and `N(mu2, sigma2)`.

    Args:
        mu1: Mean `[D]` of the first Gaussian.
        sigma1: Covariance `[D, D]` (symmetric positive semi-definite) of the first Gaussian.
        mu2: Mean `[D]` of the second Gaussian.
        sigma2: Covariance `[D, D]` of the second Gaussian.

    Returns:
        A float >= 0 (0 for equal Gaussians, up to round-off).

    Raises:
        ValueError: On shapes that do not match, non-finite values or non-symmetric covariances.
    """
    mu1, sigma1 = _check_gaussian("first Gaussian", mu1, sigma1)
    mu2, sigma2 = _check_gaussian("second Gaussian", mu2, sigma2)
    if mu1.shape != mu2.shape:
        raise ValueError(
            f"The Gaussians must have the same dimension; received {mu1.size} and {mu2.size}."
        )
    mean_term = float(np.sum((mu1 - mu2) ** 2))
    cov_term = float(np.trace(sigma1) + np.trace(sigma2)) - 2.0 * trace_sqrt_product(sigma1, sigma2)
    return max(mean_term + cov_term, 0.0)


def gaussian_statistics(features):
    """Mean `[D]` and unbiased covariance `[D, D]` of `features [N, D]` (N >= 2)."""
    features = checks.check_matrix("features", features, min_rows=2)
    return features.mean(axis=0), np.cov(features, rowvar=False).reshape(features.shape[1], -1)


def frechet_classifier_distance(features1, features2):
    """The Frechet distance between Gaussians fitted to two sets of features.

    Args:
        features1: `[N1, D]` activations of the first set (e.g. generated images), N1 >= 2.
        features2: `[N2, D]` activations of the second set (e.g. real images), N2 >= 2.

    Returns:
        A float >= 0. It is biased upwards for small N: compare figures at the same N (the
        real-versus-real baseline at the generated set's N).

    Raises:
        ValueError: If either set is not a finite `[N, D]` array with N >= 2, or their D differ.
    """
    features1 = checks.check_matrix("features1", features1, min_rows=2)
    features2 = checks.check_matrix("features2", features2, min_rows=2)
    checks.check_same_width("features1", features1, "features2", features2)
    return frechet_distance(*gaussian_statistics(features1), *gaussian_statistics(features2))
