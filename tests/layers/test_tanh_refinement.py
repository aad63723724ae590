"""TanhRefinement: tanh(atanh(base) + residual), by hand; the identity at a zero residual."""

import keras
import numpy as np
import pytest

from keras_gans.layers import TanhRefinement


def test_values_by_hand():
    # atanh(0.5) = 0.549306; + 0.25 -> tanh(0.799306) = 0.663649. atanh(-0.2) = -0.202733;
    # - 1 -> tanh(-1.202733) = -0.834486. Base 1.0 clips to 0.9 (the limit), + 0 -> 0.9.
    base = np.array([0.5, -0.2, 1.0], "float32").reshape(1, 1, 3, 1)
    residual = np.array([0.25, -1.0, 0.0], "float32").reshape(1, 1, 3, 1)
    out = np.asarray(TanhRefinement(limit=0.9)([base, residual])).ravel()
    np.testing.assert_allclose(out, [0.663649, -0.834486, 0.9], rtol=1e-5)


def test_a_zero_residual_returns_the_base_and_gradients_reach_the_residual():
    import tensorflow as tf

    base = np.random.default_rng(0).uniform(-0.99, 0.99, (2, 3, 3, 1)).astype("float32")
    residual = tf.Variable(np.zeros_like(base))
    with tf.GradientTape() as tape:
        out = TanhRefinement()([base, residual])
        loss = tf.reduce_sum(out)
    np.testing.assert_allclose(np.asarray(out), base, atol=1e-5)
    # d tanh(a + r) / dr at r = 0 is 1 - base^2.
    np.testing.assert_allclose(tape.gradient(loss, residual).numpy(), 1 - base**2, rtol=1e-4)


def test_round_trip_keeps_the_limit():
    layer = TanhRefinement(limit=0.98, name="images")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert (clone.limit, clone.name) == (0.98, "images")


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.5, True, "0.9"])
def test_limit_must_lie_strictly_between_0_and_1(bad):
    with pytest.raises(ValueError) as error:
        TanhRefinement(limit=bad)
    assert str(error.value) == f"limit must be a number in (0, 1); received {bad!r}."
