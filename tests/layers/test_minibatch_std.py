"""MinibatchStandardDeviation: hand-computed values, groups that replicas agree on, the errors."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.layers import MinibatchStandardDeviation


def _feature(layer, images):
    """The appended map of `layer(images)`, one value per image (it is constant per image)."""
    out = np.asarray(layer(tf.constant(images, tf.float32)))
    assert out.shape == (*images.shape[:-1], images.shape[-1] + 1)
    np.testing.assert_array_equal(out[..., :-1], images)  # the inputs pass through
    feature = out[..., -1]
    np.testing.assert_array_equal(feature, np.broadcast_to(feature[:, :1, :1], feature.shape))
    return feature[:, 0, 0]


def test_values_by_hand():
    # Batch 4, 1x1, 2 channels, groups of 2: (img0, img1) and (img2, img3).
    # Group 1: channel 0 values 0, 2 -> biased var 1; channel 1 values 1, 1 -> var 0.
    #   std (eps 0) = (1 + 0) / 2 = 0.5.
    # Group 2: channel 0 values 4, 10 -> var 9; channel 1 values -1, 3 -> var 4. (3 + 2) / 2 = 2.5.
    images = np.array([[0, 1], [2, 1], [4, -1], [10, 3]], "float32").reshape(4, 1, 1, 2)
    layer = MinibatchStandardDeviation(group_size=2, epsilon=0.0)
    np.testing.assert_allclose(_feature(layer, images), [0.5, 0.5, 2.5, 2.5], rtol=1e-6)


def test_means_over_positions_and_epsilon():
    # Group of 2 images of 2x1 pixels: the pixels differ by 2 and 0 -> stds 1 and sqrt(eps).
    images = np.array([[[0.0], [5.0]], [[2.0], [5.0]]], "float32").reshape(2, 2, 1, 1)
    layer = MinibatchStandardDeviation(group_size=2, epsilon=0.25)
    expected = (np.sqrt(1.0 + 0.25) + np.sqrt(0.25)) / 2
    np.testing.assert_allclose(_feature(layer, images), [expected, expected], rtol=1e-6)


def test_groups_are_consecutive_so_replica_halves_agree():
    # A replica's share of a global batch is a run of consecutive images: computing the
    # feature on each half must give the whole batch's. (Strided groups, as ProGAN's reshape
    # to [G, -1] makes, pair image i with i + B/G and would differ: the last assertion.)
    images = np.random.default_rng(0).normal(size=(8, 3, 3, 2)).astype("float32")
    layer = MinibatchStandardDeviation(group_size=2)
    whole = _feature(layer, images)
    halves = np.concatenate([_feature(layer, images[:4]), _feature(layer, images[4:])])
    np.testing.assert_allclose(halves, whole, rtol=1e-6)
    strided = images.reshape(2, 4, 3, 3, 2).transpose(1, 0, 2, 3, 4).reshape(8, 3, 3, 2)
    assert not np.allclose(_feature(layer, strided)[::2], whole[::2], atol=1e-3)


def test_a_mixed_policy_keeps_the_compute_dtype():
    layer = MinibatchStandardDeviation(group_size=2, dtype="mixed_bfloat16")
    images = tf.constant([[1.0], [1.0078125]], tf.bfloat16)[:, None, None, :]
    out = layer(images)
    assert out.dtype == tf.bfloat16
    # The variance of 1 and 1 + 2^-7 is 2^-16 (keras.ops.var computes it in float32).
    np.testing.assert_allclose(float(out[0, 0, 0, 1]), np.sqrt(2.0**-16 + 1e-5), rtol=1e-2)


def test_round_trip_keeps_the_configuration():
    layer = MinibatchStandardDeviation(group_size=4, epsilon=1e-3, name="mbstd")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert (clone.group_size, clone.epsilon, clone.name) == (4, 1e-3, "mbstd")


@pytest.mark.parametrize("bad", [1, 0, 2.0, True, "4"])
def test_group_size_must_be_an_integer_of_at_least_2(bad):
    with pytest.raises(ValueError) as error:
        MinibatchStandardDeviation(group_size=bad)
    assert str(error.value) == f"group_size must be an integer of at least 2; received {bad!r}."


def test_a_batch_that_is_not_a_multiple_of_the_group_is_refused():
    with pytest.raises(ValueError) as error:
        MinibatchStandardDeviation(group_size=4)(tf.zeros((6, 2, 2, 1)))
    # Keras prefixes a layer call's error with the layer's name and appends its arguments.
    assert (
        "MinibatchStandardDeviation groups 4 images; the batch of 6 is not a multiple of it."
        in str(error.value)
    )
