"""A seventh model joins through one folder and one import line: trained one step, saved,
exported and evaluated through the registry, with nothing else in the library touched."""

import importlib
import os

import keras
import numpy as np
import pytest

from keras_gans import registry
from keras_gans.export import OnnxRunner
from keras_gans.metrics import evaluate_run
from keras_gans.training import TrainConfig, train

TOY_FOLDER = os.path.join(os.path.dirname(__file__), "toy_gan")


@pytest.fixture(scope="module")
def toy(classifier_cache):
    """The toy package, imported (so registered) for this module's tests, unregistered after.

    It asks for the session's classifier cache so that every test of this module shares that
    fixture's xdist group (tests/conftest.py): split across two groups, the module would be set up
    twice in one worker, and the second import would find the package cached, not registering it.
    """
    package = importlib.import_module("toy_gan")  # the one import line
    yield package
    registry.unregister_model("toy")


def test_the_folder_holds_one_file_per_role(toy):
    files = sorted(name for name in os.listdir(TOY_FOLDER) if name.endswith(".py"))
    assert files == ["__init__.py", "model.py", "presets.py", "spec.py"]
    assert (
        "toy" in registry.model_names() and registry.spec_of_preset("toy").model_class is toy.ToyGAN
    )


def test_toy_trains_saves_exports_and_evaluates_through_the_registry(
    toy, tmp_path, monkeypatch, classifier_cache
):
    # The session's cache: the digits classifier the metrics tests train serves here too.
    monkeypatch.setenv("KERAS_GANS_CACHE", classifier_cache)
    out = tmp_path / "run"
    result = train(
        TrainConfig(model="toy", steps_per_epoch=1, eval_samples=32, output_dir=str(out), verbose=0)
    )
    # One step, with the preset's values.
    assert int(result.model.g_optimizer.iterations) == 1
    assert (result.config.preset, result.config.batch_size, result.config.latent_dim) == (
        "toy",
        16,
        8,
    )
    # Saved: the whole training model reloads as the toy class.
    reloaded = keras.saving.load_model(out / "model.keras")
    assert isinstance(reloaded, toy.ToyGAN)
    noise = result.model.sample_noise(4, seed=1)
    np.testing.assert_allclose(
        reloaded.sample(noise=noise), result.model.sample(noise=noise), atol=1e-6
    )
    # Exported: the ONNX generator serves what the model generates.
    onnx_files = [
        os.path.join(root, f)
        for root, _, fs in os.walk(out / "export")
        for f in fs
        if f.endswith(".onnx")
    ]
    assert onnx_files, sorted(os.listdir(out / "export"))
    served = OnnxRunner(onnx_files[0]).run({"noise": noise})
    np.testing.assert_allclose(
        next(iter(served.values())), result.model.sample(noise=noise), atol=1e-5
    )
    # Evaluated at the end of the run by the evaluator its spec names, and again on demand.
    assert result.evaluation["model"] == "toy" and result.evaluation["num_samples"] == 32
    again = evaluate_run(str(out), num_samples=32, write=False)
    assert again["generated"] == result.evaluation["generated"]


def test_toy_from_preset_is_build_compiled_as_the_cli_does(toy):
    model = toy.ToyGAN.from_preset()
    assert model.latent_dim == 8 and model.image_shape == (16, 16, 1)
    assert model.compiled and float(model.g_optimizer.beta_1) == 0.5
    assert [tuple(w.shape) for w in model.weights] == [
        tuple(w.shape) for w in toy.ToyGAN.build().weights
    ]
