"""`keras-gans-sample --output_dir`: single PNG files (a synthetic dataset), and the truncation
trick."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import images as images_lib
from keras_gans import inference
from keras_gans.export.sampler import sample_grid, write_images

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


@pytest.fixture(scope="module")
def cgan(export_of, tmp_path_factory):
    exported = export_of("cgan")
    path = str(tmp_path_factory.mktemp("keras") / "model.keras")
    exported.model.save(path)
    return exported.model, path


def read_png(path):
    return tf.io.decode_png(open(path, "rb").read()).numpy()


def test_files_hold_the_generated_images_labels_cycling(cgan, tmp_path):
    model, path = cgan
    paths = write_images(path, str(tmp_path / "fake"), 7, seed=4, chunk=3)
    classes = model.num_classes
    names = [f"{i:05d}_label{i % classes}.png" for i in range(7)]
    assert sorted(os.listdir(tmp_path / "fake")) == names
    assert [os.path.basename(p) for p in paths] == names
    expected = images_lib.to_uint8(model.generate(num_images=7, seed=4)["images"])
    for path_written, image in zip(paths, expected):
        assert read_png(path_written).shape == image.shape == (8, 8, 1)
        np.testing.assert_array_equal(read_png(path_written), image)
    # Given labels cycle in turn and name the files.
    labelled = write_images(path, str(tmp_path / "labels"), 3, labels=[2, 1])
    assert [os.path.basename(p) for p in labelled] == [
        "00000_label2.png",
        "00001_label1.png",
        "00002_label2.png",
    ]


def test_an_unconditional_models_files_are_numbered(export_of, tmp_path):
    onnx = export_of("gan").result.paths["generator"]["onnx"]
    paths = write_images(onnx, str(tmp_path), 3)
    assert [os.path.basename(p) for p in paths] == ["00000.png", "00001.png", "00002.png"]


def test_truncated_noise_stays_within_psi_and_is_seeded():
    spec = inference.InputSpec("noise", "float32", (None, 64))
    for psi in (0.25, 0.5, 2.0):
        z = inference.draw_noise(spec, 500, seed=3, truncation=psi)
        assert z.dtype == np.float32 and z.shape == (500, 64)
        assert float(np.abs(z).max()) <= psi
        np.testing.assert_array_equal(z, inference.draw_noise(spec, 500, seed=3, truncation=psi))
    z = inference.draw_noise(spec, 500, seed=3, truncation=0.5)
    # Redrawn, not clipped: no mass piles up at the bound, and the inside keeps its spread.
    assert np.mean(np.abs(z) > 0.49) < 0.05 and float(np.std(z)) > 0.25
    assert not np.array_equal(z, inference.draw_noise(spec, 500, seed=4, truncation=0.5))
    # Values already inside keep the untruncated draw's.
    plain = inference.draw_noise(spec, 500, seed=3)
    inside = np.abs(plain) <= 2.0
    np.testing.assert_array_equal(
        inference.draw_noise(spec, 500, seed=3, truncation=2.0)[inside], plain[inside]
    )


def test_truncated_samples_are_deterministic(cgan, tmp_path):
    _, path = cgan
    first = sample_grid(path, str(tmp_path / "a.png"), num_images=8, truncation=0.5)
    again = sample_grid(path, str(tmp_path / "b.png"), num_images=8, truncation=0.5)
    plain = sample_grid(path, str(tmp_path / "c.png"), num_images=8)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, plain)


@pytest.mark.parametrize("psi", [0, -0.5, float("nan")])
def test_psi_must_be_positive(cgan, tmp_path, psi):
    with pytest.raises(ValueError) as error:
        write_images(cgan[1], str(tmp_path), 2, truncation=psi)
    assert str(error.value) == (
        f"truncation must be a positive number (the largest |z| kept); received {psi!r}."
    )


def test_truncation_of_a_model_without_noise_is_refused(export_of, tmp_path):
    onnx = export_of("cyclegan").result.paths["a_to_b"]["onnx"]
    with pytest.raises(
        ValueError,
        match="^"
        + re.escape(
            "CycleGAN has no noise input to truncate: it takes image_a: float32 [batch, ?, ?, 1]."
        )
        + "$",
    ):
        sample_grid(onnx, str(tmp_path / "grid.png"), num_images=2, truncation=0.7)


def test_the_cli_writes_files(cgan, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keras_gans.flags.sample_main",
            f"--model_path={cgan[1]}",
            f"--output_dir={tmp_path / 'fake'}",
            "--num_images=4",
            "--truncation=0.7",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 4 images to {tmp_path / 'fake'} (00000_label0.png ...)"
    assert len(os.listdir(tmp_path / "fake")) == 4 and not (tmp_path / "grid.png").exists()
