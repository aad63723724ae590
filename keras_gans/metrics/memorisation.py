"""Memorisation: how much nearer generated images lie to the generator's training images than
unseen real images of the same distribution do.

The ratio of the two mean nearest-neighbour distances (in a classifier's feature space) is about 1
for a generator that draws new samples, and falls towards 0 as it reproduces its training images
(exact copies: 0). FCD alone rewards copying: the training set is as close to the held-out
reference as a second held-out set is.
"""

import numpy as np

from keras_gans.metrics import checks
from keras_gans.metrics.precision_recall import _blocks, _squared_distances


def nearest_neighbour_distances(features, training_features):
    """Euclidean distance of each feature to its nearest training feature.

    Args:
        features: `[N, D]` features (generated, or unseen real images).
        training_features: `[M, D]` features of the training images.

    Returns:
        `[N]` float64 distances; an exact copy of a training feature is at distance 0.
    """
    features = checks.check_matrix("features", features)
    training = checks.check_matrix("training_features", training_features)
    checks.check_same_width("features", features, "training_features", training)
    nearest = np.empty(len(features), dtype=np.int64)
    for rows in _blocks(len(features), len(training)):
        nearest[rows] = np.argmin(_squared_distances(features[rows], training), axis=1)
    # Measured again directly: the expanded square leaves round-off of ~1e-7 at a true zero.
    return np.linalg.norm(features - training[nearest], axis=1)


def memorisation_ratio(generated_distance, unseen_distance):
    """Mean nearest-training-neighbour distance of generated images over that of unseen real ones.

    Args:
        generated_distance: Mean distance of the generated images to their nearest training image.
        unseen_distance: The same for real images the generator never trained on.

    Returns:
        About 1 for a generator that does not copy, well below 1 for one that does.
    """
    return float(generated_distance) / max(float(unseen_distance), 1e-12)
