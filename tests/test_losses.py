"""Loss functions against hand-computed values, on 1-D and patch-shaped outputs."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import losses

REAL = np.array([0.0, 2.0], np.float32)
FAKE = np.array([0.0, -1.0], np.float32)
LN2 = math.log(2.0)
SP = lambda x: math.log1p(math.exp(x))  # noqa: E731  softplus


@pytest.mark.parametrize(
    "function, args, expected",
    [
        (losses.minimax_discriminator_loss, (REAL, FAKE), [2 * LN2, SP(-2) + SP(-1)]),
        (losses.non_saturating_discriminator_loss, (REAL, FAKE), [2 * LN2, SP(-2) + SP(-1)]),
        (losses.minimax_generator_loss, (FAKE,), [-LN2, -SP(-1)]),
        (losses.non_saturating_generator_loss, (FAKE,), [LN2, SP(1)]),
        (losses.least_squares_discriminator_loss, (REAL, FAKE), [1.0, 2.0]),
        (losses.least_squares_generator_loss, (FAKE,), [1.0, 4.0]),
        (losses.hinge_discriminator_loss, (REAL, FAKE), [2.0, 0.0]),
        (losses.hinge_generator_loss, (FAKE,), [0.0, 1.0]),
        (losses.wasserstein_discriminator_loss, (REAL, FAKE), [0.0, -3.0]),
        (losses.wasserstein_generator_loss, (FAKE,), [0.0, 1.0]),
    ],
)
def test_hand_computed_values(function, args, expected):
    np.testing.assert_allclose(function(*args).numpy(), expected, rtol=1e-6, atol=1e-6)


# Every training kind, plus the Wasserstein building blocks (not a training kind).
LOSS_PAIRS = [losses.get_losses(kind) for kind in losses.LOSS_KINDS] + [
    (losses.wasserstein_generator_loss, losses.wasserstein_discriminator_loss)
]


@pytest.mark.parametrize("shape", [(2, 1), (2, 3, 3, 1)])
@pytest.mark.parametrize("pair", LOSS_PAIRS, ids=lambda pair: pair[0].__name__)
def test_patch_outputs_average_per_example(pair, shape):
    generator_loss, discriminator_loss = pair
    rng = np.random.default_rng(0)
    real = rng.normal(size=shape).astype(np.float32)
    fake = rng.normal(size=shape).astype(np.float32)
    d = discriminator_loss(real, fake).numpy()
    g = generator_loss(fake).numpy()
    assert d.shape == (2,) and g.shape == (2,)
    # A patch loss is the mean of the per-position losses.
    flat_d = [
        discriminator_loss(real.reshape(2, -1)[:, i], fake.reshape(2, -1)[:, i]).numpy()
        for i in range(real[0].size)
    ]
    np.testing.assert_allclose(d, np.mean(flat_d, axis=0), rtol=1e-5)


def test_least_squares_patch_by_hand():
    patch = np.array([[[[0.0], [1.0]], [[1.0], [1.0]]]], np.float32)  # [1, 2, 2, 1]
    np.testing.assert_allclose(losses.least_squares_generator_loss(patch).numpy(), [0.25])


def test_gradient_penalty_by_hand():
    # D(x) = 3 * sum(x): the gradient is 3 in each of 4 features, norm 6, penalty (6 - 1)^2 = 25.
    discriminator = lambda x: 3.0 * tf.reduce_sum(tf.reshape(x, [tf.shape(x)[0], -1]), axis=1)  # noqa
    real = np.zeros((2, 2, 2, 1), np.float32)
    fake = np.ones((2, 2, 2, 1), np.float32)
    penalty = losses.gradient_penalty(discriminator, real, fake, alpha=np.array([0.3, 0.9]))
    np.testing.assert_allclose(penalty.numpy(), [25.0, 25.0], rtol=1e-5)


def test_global_batch_scaling():
    # Under a strategy each replica divides by the global batch: two replicas of 2 examples
    # each contribute sum/4, and their sum is the mean of the 4 values.
    per_example = tf.constant([1.0, 3.0])
    share = tf.nn.compute_average_loss(per_example, global_batch_size=4)
    assert float(share) == pytest.approx(1.0)


def test_unknown_kind_lists_choices():
    with pytest.raises(ValueError, match=r"Unknown loss kind 'wgan'; expected one of minimax, "):
        losses.get_losses("wgan")


def test_wasserstein_is_not_a_training_kind():
    # No gradient penalty and no extra critic steps in the skeleton: compile must refuse it.
    from keras_gans.models import GAN
    from keras_gans.training import TrainConfig

    assert losses.LOSS_KINDS == ("minimax", "non_saturating", "least_squares", "hinge")
    expected = "expected one of minimax, non_saturating, least_squares, hinge."
    with pytest.raises(ValueError, match=f"Unknown loss kind 'wasserstein'; {expected}"):
        GAN.build(image_shape=(4, 4, 1), latent_dim=2).compile(loss="wasserstein")
    with pytest.raises(
        ValueError,
        match="loss must be one of minimax, non_saturating, least_squares, "
        "hinge; received 'wasserstein'",
    ):
        TrainConfig(loss="wasserstein")


def test_scalar_outputs_are_rejected():
    with pytest.raises(ValueError, match="must have a batch axis"):
        losses.non_saturating_generator_loss(tf.constant(1.0))
