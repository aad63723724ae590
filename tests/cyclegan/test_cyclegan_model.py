"""The CycleGAN model: hand-computed losses, pools through `.keras`, preview, bad input.

Fit, round trips, replicas, mixed precision, EMA and export: tests/test_every_model.py.
"""

import gan_test_case as case
import keras
import numpy as np
import pytest
import tensorflow as tf
from cyclegan_case import tiny_cyclegan, unpaired_batches

from keras_gans.models import CycleGAN


def _scaling_generator(name, input_name, factor):
    inputs = keras.Input((4, 4, 1), name=input_name)
    return keras.Model(inputs, keras.layers.Rescaling(factor, name="images")(inputs), name=name)


def _constant_discriminator(name, value):
    inputs = keras.Input((4, 4, 1), name="images")
    outputs = keras.layers.Conv2D(
        1,
        1,
        kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant(value),
        name="logits",
    )(inputs)
    return keras.Model(inputs, outputs, name=name)


def test_losses_against_hand_computed_values():
    # G_AB(x) = G_BA(x) = x / 2 and D(x) = 0.25 everywhere make every term easy to compute by hand.
    model = CycleGAN(
        _scaling_generator("generator_ab", "image_a", 0.5),
        _scaling_generator("generator_ba", "image_b", 0.5),
        _constant_discriminator("discriminator_a", 0.25),
        _constant_discriminator("discriminator_b", 0.25),
        pool_size=2,
    )
    model.compile()  # least squares by default
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (3, 4, 4, 1)).astype(np.float32)
    b = rng.uniform(-1, 1, (3, 4, 4, 1)).astype(np.float32)
    batch = model.prepare_batch({"image_a": a, "image_b": b})
    batch.update(model.generator_pass(batch, step=0))  # the step's one generator pass
    mean_a, mean_b = np.abs(a).mean(axis=(1, 2, 3)), np.abs(b).mean(axis=(1, 2, 3))

    g_terms = {k: np.asarray(v) for k, v in model.generator_losses(batch, step=0).items()}
    # Cycle: x -> x/4, error 3/4 |x|, weight 10. Identity: x -> x/2, error 1/2 |x|, weight 5.
    np.testing.assert_allclose(g_terms["cycle"], 10 * 0.75 * (mean_a + mean_b), rtol=1e-6)
    np.testing.assert_allclose(g_terms["identity"], 5 * 0.5 * (mean_a + mean_b), rtol=1e-6)
    np.testing.assert_allclose(g_terms["adv_ab"], [(0.25 - 1) ** 2] * 3, rtol=1e-6)
    np.testing.assert_allclose(g_terms["adv_ba"], [(0.25 - 1) ** 2] * 3, rtol=1e-6)

    d_terms = {k: np.asarray(v) for k, v in model.discriminator_losses(batch, step=0).items()}
    # 0.5 * ((D(real) - 1)^2 + D(fake)^2)
    np.testing.assert_allclose(d_terms["d_a"], [0.5 * (0.75**2 + 0.25**2)] * 3, rtol=1e-6)
    np.testing.assert_allclose(d_terms["d_b"], d_terms["d_a"], rtol=1e-6)
    assert int(model.pool_a.count.numpy()) == 2  # the fakes went through the pools

    no_identity = CycleGAN(
        model.generator_ab,
        model.generator_ba,
        model.discriminator_a,
        model.discriminator_b,
        cycle_weight=2.0,
        identity_weight=0.0,
    )
    no_identity.compile()
    terms = no_identity.generator_losses(
        {**batch, **no_identity.generator_pass(batch, step=0)}, step=0
    )
    assert "identity" not in terms and "identity" not in no_identity.loss_term_names()
    np.testing.assert_allclose(terms["cycle"], 2 * 0.75 * (mean_a + mean_b), rtol=1e-6)


def test_keras_round_trip_keeps_networks_pools_and_optimizers(tmp_path):
    model = tiny_cyclegan(identity_weight=2.5, cycle_weight=7.0)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(2e-3))
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (2, 16, 16, 1)).astype(np.float32)
    model.pool_a.query(images, tf.zeros((2, 2)))  # a non-empty pool must survive too
    path = str(tmp_path / "cyclegan.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is CycleGAN
    assert case.same_config(restored.get_config(), model.get_config())
    assert (restored.cycle_weight, restored.identity_weight, restored.pool_size) == (7.0, 2.5, 3)
    for name in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b"):
        np.testing.assert_array_equal(getattr(restored, name)(images), getattr(model, name)(images))
    np.testing.assert_array_equal(restored.pool_a.images.numpy(), model.pool_a.images.numpy())
    assert int(restored.pool_a.count.numpy()) == 2
    assert restored.compiled and restored._compile_args["loss"] == "least_squares"
    assert float(restored.g_optimizer.learning_rate) == pytest.approx(2e-3)
    graphs = restored.inference_models()
    assert set(graphs) == {"a_to_b", "b_to_a"}
    assert graphs["b_to_a"].inputs[0].name == "image_b" and graphs["b_to_a"].output_names == [
        "images"
    ]


def test_preview_rows_show_input_translation_and_reconstruction():
    model = tiny_cyclegan()
    with pytest.raises(ValueError, match="call set_preview_images"):
        model.preview(0)
    _, images = unpaired_batches(num_examples=2)
    model.set_preview_images(images["image_a"], images["image_b"])
    grid, columns = model.preview(seed=0)
    assert columns == 6 and grid.shape == (12, 16, 16, 1)
    np.testing.assert_array_equal(grid[0], images["image_a"][0])
    np.testing.assert_allclose(
        grid[1], model.translate(images["image_a"][:1], "a_to_b")[0], atol=1e-5
    )
    np.testing.assert_array_equal(grid[9], images["image_b"][1])


def test_bad_inputs_name_expected_and_received():
    model = tiny_cyclegan()
    model.compile()
    rgb = np.zeros((4, 16, 16, 3), np.float32)
    grey = np.zeros((4, 16, 16, 1), np.float32)
    bad = tf.data.Dataset.from_tensor_slices({"image_a": rgb, "image_b": grey}).batch(2)
    with pytest.raises(
        ValueError, match=r"image_a must have 1 channel\(s\) for this model; received 3"
    ):
        model.fit(bad, epochs=1, verbose=0, shuffle=False)
    with pytest.raises(
        ValueError, match=r"needs keys 'image_a' and 'image_b'; received keys \['images'\]"
    ):
        model.prepare_batch({"images": grey})
    with pytest.raises(
        ValueError, match=r"image_b must have 1 channel\(s\) for this model; received 3"
    ):
        model.set_preview_images(grey, rgb)
    with pytest.raises(ValueError, match="direction must be one of"):
        model.translate(grey, "a_to_c")
    with pytest.raises(ValueError, match=r"must work on images of shape \(16, 16, 1\)"):
        CycleGAN(
            model.generator_ab,
            model.generator_ba,
            model.discriminator_a,
            CycleGAN.build((32, 32, 1), base_filters=4, num_blocks=1).discriminator_b,
        )
