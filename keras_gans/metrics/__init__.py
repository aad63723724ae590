"""Download-free quality metrics: classifier score, Frechet and kernel distances, accuracies.

The math works on any classifier's logits and features; `classifiers` trains reference classifiers
on the bundled data, and `evaluate_run` applies them to a training run or an exported generator,
always beside the real-versus-real baseline.
"""

from keras_gans.metrics.accuracy import conditional_accuracy, domain_accuracy
from keras_gans.metrics.classifiers import (
    ReferenceClassifier,
    digits_classifier,
    digits_split,
    texture_classifier,
    texture_crops,
    texture_split,
)
from keras_gans.metrics.evaluate import evaluate_run
from keras_gans.metrics.evaluators import register_evaluator

# Evaluation on any folder (issue 17): standard Inception features from a user-supplied graph,
# a download-free fallback, and precision/recall on the same features.
from keras_gans.metrics.folder_features import (
    feature_extractor,
    feature_set_metrics,
    folder_features,
)
from keras_gans.metrics.frechet import frechet_classifier_distance, frechet_distance
from keras_gans.metrics.inception import InceptionFeatures, load_inception_graph
from keras_gans.metrics.kernel import kernel_distance
from keras_gans.metrics.precision_recall import precision_recall
from keras_gans.metrics.random_features import RandomConvFeatures
from keras_gans.metrics.scores import classifier_score

__all__ = [
    "ReferenceClassifier",
    "classifier_score",
    "conditional_accuracy",
    "digits_classifier",
    "digits_split",
    "domain_accuracy",
    "evaluate_run",
    "frechet_classifier_distance",
    "frechet_distance",
    "kernel_distance",
    "register_evaluator",
    "texture_classifier",
    "texture_crops",
    "texture_split",
    # Evaluation on any folder.
    "InceptionFeatures",
    "RandomConvFeatures",
    "feature_extractor",
    "feature_set_metrics",
    "folder_features",
    "load_inception_graph",
    "precision_recall",
]
