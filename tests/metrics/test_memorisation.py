"""The memorisation ratio: ~1 for unseen real images, ~0 for copies of the training images; the
digits evaluator compares heldout_a with generated images and heldout_b (never trained on)."""

import re

import numpy as np
import pytest

from keras_gans.data.digits import digits_parts
from keras_gans.metrics import evaluators
from keras_gans.metrics.compare import compare, summary_line
from keras_gans.metrics.memorisation import nearest_neighbour_distances


class ImagesSource:
    """A "generator" returning real images; records what it was asked for."""

    def __init__(self, images, labels=None):
        self.images, self.labels, self.asked = images, labels, None

    def generate(self, inputs=None, num_images=None, seed=0):
        rng = np.random.default_rng(seed + 99)
        if inputs and "labels" in inputs:  # class-conditional: an image of each asked class
            self.asked = np.asarray(inputs["labels"])
            pick = [rng.choice(np.flatnonzero(self.labels == label)) for label in self.asked]
        else:
            pick = rng.choice(len(self.images), num_images, replace=False)
        return {"images": self.images[pick]}


def evaluate(source, classifier_cache, model="dcgan", num_samples=200):
    config = {"model": model, "dataset": "digits", "image_size": 16}
    context = evaluators.EvalContext(config, source, num_samples, 0, classifier_cache)
    return evaluators.evaluate_digits(context)


def test_nearest_neighbour_distances():
    training = np.array([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_array_equal(
        nearest_neighbour_distances(np.array([[3.0, 4.0], [0.0, 1.0], [6.0, 8.0]]), training),
        [0.0, 1.0, 5.0],
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "features and training_features must have the same feature size; received 3 and 2."
        ),
    ):
        nearest_neighbour_distances(np.zeros((1, 3)), training)


@pytest.mark.parametrize("unseen", ["heldout_a", "heldout_b"])
def test_unseen_real_images_score_about_one(unseen, digits_reference, classifier_cache):
    images, _ = digits_parts(16)[unseen]
    result = evaluate(ImagesSource(images), classifier_cache)
    assert 0.8 <= result["memorisation_ratio"] <= 1.25, result["memorisation_ratio"]
    assert result["real_baseline"]["training_nn_distance"] > 0
    assert "memorisation ratio" in summary_line({"model": "dcgan", "dataset": "digits", **result})


def test_copies_of_the_training_images_score_near_zero(digits_reference, classifier_cache):
    train_images, _ = digits_parts(16)["train"]
    result = evaluate(ImagesSource(train_images), classifier_cache)
    # Zero up to float32 rounding of a feature's distance to itself (1.9e-8 on an AVX2 CPU).
    assert result["memorisation_ratio"] == pytest.approx(0, abs=1e-6)
    # FCD alone does not tell: the copies sit as close to heldout_a as heldout_b does.
    assert result["fcd_ratio"] < 2.0


def test_a_conditional_model_is_asked_for_heldout_a_labels(digits_reference, classifier_cache):
    images, labels = digits_parts(16)["heldout_b"]
    source = ImagesSource(images, labels)
    result = evaluate(source, classifier_cache, model="cgan", num_samples=None)
    assert result["num_samples"] == len(source.asked) == 447  # all of heldout_a
    np.testing.assert_array_equal(
        np.bincount(source.asked), np.bincount(digits_parts(16)["heldout_a"][1])
    )
    generated, baseline = result["generated"], result["real_baseline"]
    assert generated["conditional_accuracy"] == pytest.approx(
        baseline["conditional_accuracy"], abs=0.03
    )
    assert 0.8 <= result["memorisation_ratio"] <= 1.25


def test_compare_needs_the_baseline_labels_with_labels():
    message = (
        "baseline_labels must be given with labels (the baseline's conditional accuracy needs "
        "them); received baseline_labels=None."
    )
    images = np.zeros((2, 16, 16, 1), np.float32)
    with pytest.raises(ValueError, match=re.escape(message)):
        compare(None, images, reference=images, baseline=images, training=images, labels=[0, 1])
