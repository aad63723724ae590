"""Latent walks from a training model, a run folder, a `.keras`, a SavedModel and an ONNX file."""

import re

import numpy as np
import pytest

from keras_gans import inference
from keras_gans.export import OnnxRunner
from keras_gans.export.sampler import interpolation_grid
from keras_gans.interpolation import interpolation_inputs

ROWS, STEPS = 4, 5


def walk_images(generator, specs, seed):
    inputs = interpolation_inputs(specs, ROWS, STEPS, seed=seed)
    images = generator.generate(inputs)["images"]
    return images.reshape(ROWS, STEPS, *images.shape[1:])


@pytest.fixture(scope="module")
def cgan(export_of):
    return export_of("cgan")


@pytest.fixture(scope="module")
def cgan_paths(cgan, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("run")
    cgan.model.save(str(run_dir / "model.keras"))
    paths = cgan.result.paths["generator"]
    return {
        "run_dir": str(run_dir),
        "keras": str(run_dir / "model.keras"),
        "saved_model": paths["saved_model"],
        "onnx": paths["onnx"],
    }


def test_a_training_models_walk_ends_on_the_two_seeds_samples(cgan):
    model = cgan.model
    specs = inference.keras_input_specs(model.inference_models()["generator"], model.num_classes)
    walk = walk_images(model, specs, seed=3)
    # A batch of 20 and one of 4 may round differently in the float kernels.
    np.testing.assert_allclose(
        walk[:, 0], model.generate(num_images=ROWS, seed=3)["images"], atol=1e-5, rtol=0
    )
    np.testing.assert_allclose(
        walk[:, -1], model.generate(num_images=ROWS, seed=4)["images"], atol=1e-5, rtol=0
    )
    # ... and the middle is neither end.
    assert np.abs(walk[:, 2] - walk[:, 0]).max() > 1e-2
    assert np.abs(walk[:, 2] - walk[:, -1]).max() > 1e-2


def test_an_onnx_walk_ends_on_the_two_seeds_samples(cgan_paths):
    runner = OnnxRunner(cgan_paths["onnx"], device="cpu")
    walk = walk_images(runner, runner.input_specs, seed=3)
    np.testing.assert_allclose(
        walk[:, 0], runner.generate(num_images=ROWS, seed=3)["images"], atol=1e-5, rtol=0
    )
    np.testing.assert_allclose(
        walk[:, -1], runner.generate(num_images=ROWS, seed=4)["images"], atol=1e-5, rtol=0
    )


def test_every_source_writes_the_same_walk(cgan_paths, tmp_path):
    grids = {}
    for source, path in cgan_paths.items():
        output = tmp_path / f"{source}.png"
        grids[source], frames = interpolation_grid(path, str(output), STEPS, rows=ROWS, seed=3)
        assert output.is_file() and (tmp_path / f"{source}.gif").is_file()
        assert grids[source].shape == (ROWS * 8, STEPS * 8, 1)
        assert frames.shape == (STEPS, 16, 16, 1)  # 4 walks per frame: 2 x 2
    for source in ("keras", "saved_model", "onnx"):
        # Same noise and labels; float differences below 1e-4 may flip one grey level.
        difference = grids[source].astype(int) - grids["run_dir"].astype(int)
        assert np.abs(difference).max() <= 1, source


@pytest.mark.parametrize("source", ["keras", "onnx"])
def test_a_model_without_noise_is_named(export_of, source, tmp_path):
    cyclegan = export_of("cyclegan")
    if source == "keras":
        path = str(tmp_path / "cyclegan.keras")
        cyclegan.model.save(path)  # two graphs, neither with noise
    else:
        path = cyclegan.result.paths["a_to_b"]["onnx"]
    message = (
        "CycleGAN has no noise input to interpolate: it takes image_a: float32 [batch, ?, ?, 1]."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        interpolation_grid(path, str(tmp_path / "walk.png"), 3)
    assert not (tmp_path / "walk.png").exists()


def test_too_few_steps_is_refused_before_loading(tmp_path):
    message = "An interpolation needs at least 2 steps (both ends); received 1."
    with pytest.raises(ValueError, match=re.escape(message)):
        interpolation_grid(str(tmp_path / "missing.onnx"), str(tmp_path / "walk.png"), 1)
