"""Kynkaanniemi et al.'s precision and recall: hand-computed sets and a brute-force reference."""

import importlib

import numpy as np
import pytest

from keras_gans.metrics.precision_recall import precision_recall

# The package exports the function under the module's name, so fetch the module itself.
pr_module = importlib.import_module("keras_gans.metrics.precision_recall")


def _column(values):
    return np.array(values, dtype=np.float64)[:, None]


def test_hand_computed_example_with_k_1():
    # Real k=1 radii: 0->1, 1->1, 3->2, 30->1, 31->1. Fakes 0.5 and 2.5 are inside, 10 and 11 out.
    # Fake radii: 0.5->2, 2.5->2, 10->1, 11->1. Reals 0, 1, 3 are inside, 30 and 31 out.
    real = _column([0, 1, 3, 30, 31])
    fake = _column([0.5, 2.5, 10, 11])
    assert precision_recall(real, fake, k=1) == (0.5, 0.6)


def test_hand_computed_example_with_k_3_and_an_outlier():
    # Real k=3 radii: 0->3, 1->2, 2->2, 3->3, 100->99 (distances 97, 98, 99, 100).
    # Fakes: -3 is on the boundary of 0's ball (inside), -3.5 out, 50 inside 100's ball [1, 199],
    # 250 out, 1.5 inside: precision 3/5. The fake outlier 250 has radius 253, covering every
    # real point: recall 1, the outlier sensitivity the paper discusses.
    real = _column([0, 1, 2, 3, 100])
    fake = _column([-3, -3.5, 50, 250, 1.5])
    assert precision_recall(real, fake) == (0.6, 1.0)


def test_a_point_on_a_ball_boundary_counts_as_inside():
    real = _column([0, 2])
    assert precision_recall(real, _column([4, 5]), k=1)[0] == 0.5


def _brute_force(real, fake, k):
    def radii(points):
        distances = [
            [np.linalg.norm(p - q) for j, q in enumerate(points) if j != i]
            for i, p in enumerate(points)
        ]
        return np.array([np.sort(row)[k - 1] for row in distances])

    def coverage(manifold, queries):
        r = radii(manifold)
        return np.mean(
            [any(np.linalg.norm(q - m) <= r[j] for j, m in enumerate(manifold)) for q in queries]
        )

    return coverage(real, fake), coverage(fake, real)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_matches_brute_force_reference(k, monkeypatch):
    rng = np.random.default_rng(k)
    real = rng.normal(size=(40, 5))
    fake = rng.normal(0.8, 0.8, size=(33, 5))
    expected = _brute_force(real, fake, k)
    assert 0.0 < expected[0] < 1.0 and 0.0 < expected[1] < 1.0
    assert precision_recall(real, fake, k=k) == pytest.approx(expected, abs=1e-12)
    # Row blocks of a few rows give the same figures as one block.
    monkeypatch.setattr(pr_module, "_BLOCK_ENTRIES", 7 * 40)
    assert precision_recall(real, fake, k=k) == pytest.approx(expected, abs=1e-12)


def test_identical_sets_have_full_precision_and_recall():
    features = np.random.default_rng(0).normal(size=(20, 4))
    assert precision_recall(features, features.copy()) == (1.0, 1.0)


def test_bad_inputs_raise_clear_errors():
    real, fake = np.zeros((5, 3)), np.ones((4, 3))
    with pytest.raises(ValueError, match=r"received k=4 with 4 fake_features"):
        precision_recall(real, fake, k=4)
    with pytest.raises(ValueError, match=r"received k=5 with 5 real_features"):
        precision_recall(real, np.ones((9, 3)), k=5)
    with pytest.raises(ValueError, match=r"same feature size; received 3 and 2"):
        precision_recall(real, np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 1000000000\]; received 0"):
        precision_recall(real, fake, k=0)
    with pytest.raises(ValueError, match=r"received True"):
        precision_recall(real, fake, k=True)
    with pytest.raises(ValueError, match=r"fake_features must be finite; received 1 NaN/inf"):
        precision_recall(real, np.array([[0, 0, 0], [1, 1, 1], [np.nan, 0, 0]]), k=1)
