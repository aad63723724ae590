"""A run trained with `ema_decay` exports and samples the averaged generator, however it is loaded.

Every model's mixed_bfloat16 EMA step and its ONNX parity: tests/test_every_model.py.
"""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import losses
from keras_gans.data import dataset_from_arrays
from keras_gans.export import export_run, load_generator
from keras_gans.models import DCGAN

IMAGES = np.random.default_rng(1).uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)
NOISE = np.random.default_rng(2).standard_normal((5, 8)).astype(np.float32)


def _train_run(run_dir, custom_loss):
    """Two steps with ema_decay=0.5, saved as a training run's `model.keras`."""
    keras.utils.set_random_seed(5)
    model = DCGAN.build((16, 16, 1), latent_dim=8, base_filters=8)
    # A large generator step keeps the averages well apart from the trained weights.
    kwargs = dict(ema_decay=0.5, g_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.5))
    if custom_loss:  # a loss callable is not stored: the file then holds no compile config
        kwargs["generator_loss"] = losses.get_losses("non_saturating")[0]
    model.compile(**kwargs)
    data = dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)
    model.fit(data, epochs=1, steps_per_epoch=2, verbose=0)
    assert int(model.g_optimizer.iterations) == 2
    os.makedirs(run_dir)
    model.save(os.path.join(run_dir, "model.keras"))
    ema = np.asarray(model.inference_models()["generator"](NOISE))
    raw = np.asarray(model.generator(NOISE))
    assert np.max(np.abs(ema - raw)) > 1e-3
    return ema, raw


@pytest.fixture(scope="module", params=[False, True], ids=["stored_compile", "custom_loss"])
def ema_run(request, tmp_path_factory):
    """`(run_dir, ema outputs, raw outputs, custom_loss)` of one trained run per compile kind."""
    run_dir = str(tmp_path_factory.mktemp("ema") / "run")
    return (run_dir, *_train_run(run_dir, request.param), request.param)


def test_export_run_and_sampler_use_the_ema_weights(ema_run):
    run_dir, ema, raw, _ = ema_run
    result = export_run(run_dir, formats=("saved_model",))
    signature = tf.saved_model.load(result.paths["generator"]["saved_model"]).signatures[
        "serving_default"
    ]
    exported = signature(noise=tf.constant(NOISE))["images"].numpy()
    np.testing.assert_allclose(exported, ema, atol=1e-5)
    assert np.max(np.abs(exported - raw)) > 1e-3
    sampled = load_generator(os.path.join(run_dir, "model.keras")).run({"noise": NOISE})["images"]
    np.testing.assert_allclose(sampled, ema, atol=1e-5)


def test_loading_without_compiling_keeps_the_ema_weights(ema_run):
    run_dir, ema, _, _ = ema_run
    model = keras.saving.load_model(os.path.join(run_dir, "model.keras"), compile=False)
    assert not model.compiled and model.uses_ema()
    np.testing.assert_allclose(
        np.asarray(model.inference_models()["generator"](NOISE)), ema, atol=1e-6
    )
    # Compiling again decides: with ema_decay the restored averages go on, without it they are off.
    model.compile(ema_decay=0.5)
    np.testing.assert_allclose(
        np.asarray(model.inference_models()["generator"](NOISE)), ema, atol=1e-6
    )
    model.compile()
    assert not model.uses_ema()
    trained = np.asarray(model.generator(NOISE))
    np.testing.assert_allclose(
        np.asarray(model.inference_models()["generator"](NOISE)), trained, atol=1e-6
    )
