"""Improved precision and recall: Kynkaanniemi et al. 2019, https://arxiv.org/abs/1904.06991.

Each set's manifold is estimated as the union of balls around its features, each ball's radius the
distance to that feature's k-th nearest neighbour in the same set (k = 3 in the paper). Precision is
the fraction of generated features inside the real manifold (quality: few generated images lie
off it); recall is the fraction of real features inside the generated manifold (coverage: a
collapsed generator misses most of it). FID folds both into one number; these two separate them.
Points on a ball's boundary count as inside, as in the paper's reference code.
"""

import numpy as np

from keras_gans.metrics import checks

#: Pairwise distances are computed in row blocks of at most this many entries, to bound memory.
_BLOCK_ENTRIES = 1 << 23


def _squared_distances(a, b):
    """`[len(a), len(b)]` squared Euclidean distances; round-off below zero is clipped."""
    squared = np.sum(a * a, axis=1)[:, None] + np.sum(b * b, axis=1)[None, :] - 2.0 * (a @ b.T)
    return np.maximum(squared, 0.0)


def _blocks(rows, columns):
    step = max(1, _BLOCK_ENTRIES // max(columns, 1))
    return (slice(start, min(start + step, rows)) for start in range(0, rows, step))


def knn_radii(features, k):
    """Squared distance of each feature to its k-th nearest other feature of the same set.

    Args:
        features: `[N, D]` float64, N > k.
        k: Neighbour rank (1 = nearest other point).

    Returns:
        `[N]` squared radii. Each row's own zero distance is rank 0, so rank k of the sorted row
        is the k-th neighbour; a duplicate feature is a neighbour at distance 0.
    """
    radii = np.empty(len(features))
    for rows in _blocks(len(features), len(features)):
        radii[rows] = np.partition(_squared_distances(features[rows], features), k, axis=1)[:, k]
    return radii


def manifold_coverage(manifold, manifold_radii, queries):
    """Fraction of `queries` within the ball of at least one `manifold` feature (boundary
    inside)."""
    inside = np.zeros(len(queries), dtype=bool)
    for rows in _blocks(len(queries), len(manifold)):
        inside[rows] = np.any(
            _squared_distances(queries[rows], manifold) <= manifold_radii[None, :], axis=1
        )
    return float(inside.mean())


def precision_recall(real_features, fake_features, k=3):
    """Kynkaanniemi et al.'s precision and recall of generated features against real ones.

    Args:
        real_features: `[N_real, D]` features of real images, N_real > k.
        fake_features: `[N_fake, D]` features of generated images (same extractor), N_fake > k.
        k: Neighbour rank of the balls' radii (the paper's k = 3).

    Returns:
        `(precision, recall)`, each in [0, 1]. Both depend on N and k: compare figures at the same
        N (and read them beside the real-versus-real pair at that N).

    Raises:
        ValueError: If a set is not a finite `[N, D]` array, the sets' D differ, `k` is not an
            integer >= 1, or a set has k or fewer features (each needs k other features).
    """
    real = checks.check_matrix("real_features", real_features, min_rows=2)
    fake = checks.check_matrix("fake_features", fake_features, min_rows=2)
    checks.check_same_width("real_features", real, "fake_features", fake)
    k = checks.check_int_in("k", k, 1, 10**9)
    for name, features in (("real_features", real), ("fake_features", fake)):
        if k >= len(features):
            raise ValueError(
                f"k must be smaller than the number of {name} (each feature needs k others); "
                f"received k={k} with {len(features)} {name}."
            )
    precision = manifold_coverage(real, knn_radii(real, k), fake)
    recall = manifold_coverage(fake, knn_radii(fake, k), real)
    return precision, recall
