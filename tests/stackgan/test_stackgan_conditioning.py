"""Conditioning Augmentation, its KL term, the matching-aware loss and mismatched texts."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import losses
from keras_gans.layers import ConditioningAugmentation
from keras_gans.models.stackgan import matching


def _ca_with(mu, log_sigma):
    """A CA layer whose FC maps the embedding [1] to the given (mu, log_sigma) (all >= 0)."""
    layer = ConditioningAugmentation(len(mu))
    layer.build((None, 1))
    kernel = np.array([list(mu) + list(log_sigma)], np.float32)
    layer.dense.set_weights([kernel, np.zeros(2 * len(mu), np.float32)])
    return layer


def test_kl_matches_hand_computed_values():
    mu = np.array([[0.0, 0.0], [1.0, 2.0]], np.float32)
    log_sigma = np.array([[0.0, 0.0], [0.0, math.log(2.0)]], np.float32)
    # Per dimension -log s + (s^2 + m^2 - 1) / 2; averaged over the two dimensions.
    row = (0.5 + (-math.log(2.0) + 0.5 * (4.0 + 4.0 - 1.0))) / 2
    np.testing.assert_allclose(losses.gaussian_kl_loss(mu, log_sigma), [0.0, row], rtol=1e-6)


def test_matching_aware_loss_is_real_plus_half_wrong_and_fake():
    real, wrong, fake = np.array([[2.0]]), np.array([[-1.0]]), np.array([[0.5]])
    softplus = lambda x: math.log1p(math.exp(x))  # noqa: E731
    expected = softplus(-2.0) + (softplus(-1.0) + softplus(0.5)) / 2
    value = losses.matching_aware_discriminator_loss(real, wrong, fake)
    np.testing.assert_allclose(value, [expected], rtol=1e-6)
    # With another two-term loss: least squares.
    value = losses.matching_aware_discriminator_loss(
        real, wrong, fake, losses.least_squares_discriminator_loss
    )
    np.testing.assert_allclose(value, [(2 - 1) ** 2 + (1.0 + 0.25) / 2], rtol=1e-6)


def test_ca_outputs_and_sampling_statistics():
    mu, log_sigma = [0.5, 2.0], [0.0, math.log(3.0)]
    layer = _ca_with(mu, log_sigma)
    embedding = np.ones((1, 1), np.float32)
    condition, got_mu, got_log_sigma = layer(embedding, np.array([[1.0, -2.0]], np.float32))
    np.testing.assert_allclose(got_mu, [mu], rtol=1e-6)
    np.testing.assert_allclose(got_log_sigma, [log_sigma], rtol=1e-6)
    np.testing.assert_allclose(condition, [[0.5 + 1.0, 2.0 - 3.0 * 2.0]], rtol=1e-6)
    # Without eps the condition is the mean.
    np.testing.assert_allclose(layer(embedding)[0], [mu], rtol=1e-6)
    # Many draws: mean mu and standard deviation sigma (4 standard errors).
    count = 20000
    eps = tf.random.stateless_normal([count, 2], seed=[1, 2])
    samples = np.asarray(layer(np.ones((count, 1), np.float32), eps)[0])
    sigma = np.exp(log_sigma)
    np.testing.assert_allclose(samples.mean(axis=0), mu, atol=4 * sigma.max() / math.sqrt(count))
    np.testing.assert_allclose(samples.std(axis=0), sigma, rtol=0.03)


def test_ca_leaky_relu_and_config_round_trip():
    layer = _ca_with([-1.0], [-2.0])
    _, mu, log_sigma = layer(np.ones((1, 1), np.float32))
    # The authors' LeakyReLU(0.2) on the FC output.
    np.testing.assert_allclose([mu[0, 0], log_sigma[0, 0]], [-0.2, -0.4], rtol=1e-6)
    clone = ConditioningAugmentation.from_config(layer.get_config())
    assert clone.condition_dim == 1
    # In a functional graph the three outputs stay three (distinct symbolic tensors).
    embedding, eps = keras.Input((1,)), keras.Input((1,))
    graph = keras.Model([embedding, eps], layer(embedding, eps))
    inputs = [np.ones((1, 1), np.float32), np.full((1, 1), 2.0, np.float32)]
    for got, want in zip(graph(inputs), layer(*inputs)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(graph(inputs)[0], [[-0.2 + np.exp(-0.4) * 2.0]], rtol=1e-6)


def test_ca_rejects_bad_sizes():
    with pytest.raises(ValueError, match="condition_dim must be a positive integer; received 0"):
        ConditioningAugmentation(0)


def test_mismatched_indices_pick_the_next_different_text():
    keys = np.array([[1], [1], [2], [3], [3]])
    np.testing.assert_array_equal(matching.mismatched_indices(keys), [2, 2, 3, 0, 0])
    # All texts equal: the next example is the best the batch allows; a batch of one is itself.
    np.testing.assert_array_equal(matching.mismatched_indices(np.zeros((3, 2))), [1, 2, 0])
    np.testing.assert_array_equal(matching.mismatched_indices(np.zeros((1, 2))), [0])
    with pytest.raises(ValueError, match=r"keys must have shape \[batch, key_size\]"):
        matching.mismatched_indices(np.zeros(3))


def test_mismatched_texts_are_mismatched_and_replica_invariant(two_replica_strategy):
    captions = tf.constant(["a", "a", "b", "c", "c", "c", "d", "a"])
    keys = matching.caption_keys(captions)
    texts = tf.cast(tf.range(8)[:, tf.newaxis] * tf.ones([1, 3], tf.int32), tf.float32)
    single = matching.mismatched_texts(texts, keys).numpy()[:, 0].astype(int)
    assert single.tolist() == [2, 2, 3, 6, 6, 6, 7, 2]
    assert all(captions[i] != captions[j] for i, j in enumerate(single))

    dataset = tf.data.Dataset.from_tensor_slices({"texts": texts, "keys": keys}).batch(8)
    batch = next(iter(two_replica_strategy.experimental_distribute_dataset(dataset)))

    @tf.function
    def step(batch):
        return two_replica_strategy.run(
            lambda b: matching.mismatched_texts(b["texts"], b["keys"]), args=(batch,)
        )

    parts = two_replica_strategy.experimental_local_results(step(batch))
    distributed = np.concatenate([np.asarray(p) for p in parts])[:, 0].astype(int)
    assert distributed.tolist() == single.tolist()
