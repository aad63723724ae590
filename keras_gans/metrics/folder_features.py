"""Features for evaluating any folder of images: the standard Inception ones, or a download-free
fallback.

`feature_extractor` picks the extractor from what the user supplied (`--inception_graph` and its
sha256, or nothing), `folder_features` applies it and names the features for reports, and
`feature_set_metrics` computes FID, KID and precision/recall on one pair of feature sets.
"""

from keras_gans.metrics import checks
from keras_gans.metrics.frechet import frechet_classifier_distance
from keras_gans.metrics.inception import DEFAULT_BATCH_SIZE, InceptionFeatures
from keras_gans.metrics.kernel import kernel_distance
from keras_gans.metrics.precision_recall import precision_recall
from keras_gans.metrics.random_features import RandomConvFeatures


def feature_extractor(inception_graph=None, inception_sha256=None, batch_size=DEFAULT_BATCH_SIZE):
    """The Inception extractor when a graph is given, else the random-convolution fallback.

    Args:
        inception_graph: Path of TTUR's `classify_image_graph_def.pb`, or None for the fallback.
        inception_sha256: The sha256 the graph must have; required with `inception_graph`.
        batch_size: Images per call of the extractor.

    Returns:
        An `InceptionFeatures` or a `RandomConvFeatures` (seed 0, 64 px); either maps images to
        `[N, D]` features and has `name` and `description`.

    Raises:
        ValueError: On a graph without a digest, a digest without a graph, or the graph's checks
            (`inception.load_inception_graph`).
    """
    if inception_graph is None:
        if inception_sha256 is not None:
            raise ValueError(
                f"inception_sha256 was given ({inception_sha256!r}) without inception_graph."
            )
        return RandomConvFeatures(
            batch_size=checks.check_int_in("batch_size", batch_size, 1, 10**6)
        )
    if inception_sha256 is None:
        raise ValueError(
            f"inception_graph {inception_graph!r} needs inception_sha256, the digest of the copy "
            "you trust (e.g. `sha256sum classify_image_graph_def.pb`): nothing unchecked is loaded."
        )
    return InceptionFeatures.from_file(inception_graph, inception_sha256, batch_size=batch_size)


def folder_features(images, extractor=None):
    """Features of `images` and the features' name, for the report.

    Args:
        images: `[N, H, W, C]`, C in {1, 3}, float in [-1, 1] or uint8, any H and W.
        extractor: A callable with a `name` (e.g. from `feature_extractor`); None for the
            download-free `RandomConvFeatures()`.

    Returns:
        `(features [N, D] float64, name)`, e.g. `name` `"inception_pool3"` or
        `"random_conv_seed0_64px"`: figures are comparable only between equal names.
    """
    extractor = RandomConvFeatures() if extractor is None else extractor
    return extractor(images), extractor.name


def feature_set_metrics(features, reference_features, k=3, seed=0):
    """FID, KID and precision/recall of one feature set against reference (real) features.

    Args:
        features: `[N, D]` features of the evaluated set (generated, or real for the baseline).
        reference_features: `[M, D]` features of the real reference set, same extractor.
        k: Neighbour rank of precision and recall.
        seed: Seed of the kernel distance's subsets.

    Returns:
        `{frechet_distance, kernel_distance, kernel_distance_std, precision, recall}`; named
        `frechet_distance` rather than FID since the features may be the fallback's.
    """
    # KID's usual 100 subsets of 1000, halved on small sets so that the subsets still differ.
    subset_size = max(2, min(1000, len(features) // 2))
    kid, kid_std = kernel_distance(
        features, reference_features, num_subsets=100, subset_size=subset_size, seed=seed
    )
    precision, recall = precision_recall(reference_features, features, k=k)
    return {
        "frechet_distance": frechet_classifier_distance(features, reference_features),
        "kernel_distance": kid,
        "kernel_distance_std": kid_std,
        "precision": precision,
        "recall": recall,
    }
