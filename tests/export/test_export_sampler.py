"""The sampler over `.keras`, SavedModel and ONNX, and the PNG grid helper."""

import re

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.export import load_generator, make_grid, sample_grid


@pytest.fixture(scope="module")
def cgan_paths(export_of, tmp_path_factory):
    cgan = export_of("cgan")
    keras_path = str(tmp_path_factory.mktemp("keras") / "model.keras")
    cgan.model.save(keras_path)
    paths = cgan.result.paths["generator"]
    return {"keras": keras_path, "saved_model": paths["saved_model"], "onnx": paths["onnx"]}


def test_the_three_formats_draw_the_same_grid(cgan_paths, tmp_path):
    grids = {}
    for fmt, path in cgan_paths.items():
        output = tmp_path / f"{fmt}.png"
        grids[fmt] = sample_grid(path, str(output), num_images=6, labels=[0, 1, 2], seed=3)
        decoded = tf.io.decode_png(output.read_bytes()).numpy()
        np.testing.assert_array_equal(decoded, grids[fmt])
    assert grids["keras"].shape == (2 * 8, 3 * 8, 1)
    for fmt in ("saved_model", "onnx"):
        # Same noise and labels; float differences below 1e-4 may flip one grey level.
        assert np.max(np.abs(grids[fmt].astype(int) - grids["keras"].astype(int))) <= 1


def test_a_serving_model_folder_opens_its_newest_version(export_of):
    exported = export_of("gan")
    generator = load_generator(f"{exported.export_dir}/generator")
    assert [s.describe() for s in generator.input_specs] == ["noise: float32 [batch, 8]"]


@pytest.mark.parametrize("fmt", ["keras", "saved_model", "onnx"])
def test_label_out_of_range_names_the_input(cgan_paths, tmp_path, fmt):
    message = "Input 'labels' must lie in [0, 3) (class ids); received min 0, max 5."
    with pytest.raises(ValueError, match=re.escape(message)):
        sample_grid(cgan_paths[fmt], str(tmp_path / "grid.png"), num_images=4, labels=[0, 5])
    assert not (tmp_path / "grid.png").exists()


def test_labels_for_an_unconditional_model(export_of, tmp_path):
    path = export_of("gan").result.paths["generator"]["onnx"]
    message = (
        "labels were given but the model takes no labels; it expects noise: float32 [batch, 8]."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        sample_grid(path, str(tmp_path / "grid.png"), labels=[1])


@pytest.mark.parametrize(
    "path, message",
    [
        (
            "model.h5",
            "model_path must be a .keras file, a SavedModel folder or an .onnx file; "
            "received 'model.h5'.",
        ),
        (".", "holds no saved_model.pb"),
    ],
)
def test_unknown_model_paths(path, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_generator(path)


def test_num_images_must_be_positive(cgan_paths, tmp_path):
    with pytest.raises(
        ValueError, match=re.escape("num_images must be a positive integer; received 0.")
    ):
        sample_grid(cgan_paths["onnx"], str(tmp_path / "grid.png"), num_images=0)


def test_make_grid_tiles_row_by_row():
    images = np.stack([np.full((2, 3, 1), v, np.uint8) for v in (10, 20, 30, 40, 50)])
    grid = make_grid(images)
    assert grid.shape == (2 * 2, 3 * 3, 1)
    assert [grid[r * 2, c * 3, 0] for r in range(2) for c in range(3)] == [10, 20, 30, 40, 50, 0]
    assert make_grid(np.zeros((4, 2, 2, 3), np.float32), rows=1).shape == (2, 8, 3)
    assert make_grid(-np.ones((1, 2, 2, 1), np.float32)).max() == 0
    assert make_grid(np.ones((1, 2, 2, 1), np.float32)).min() == 255


def test_make_grid_rejects_bad_shapes():
    message = "images must have shape [N >= 1, H, W, C in (1, 3, 4)]; received (2, 2, 2)."
    with pytest.raises(ValueError, match=re.escape(message)):
        make_grid(np.zeros((2, 2, 2), np.float32))
    with pytest.raises(
        ValueError, match=re.escape("rows must be an integer in [1, 3]; received 4.")
    ):
        make_grid(np.zeros((3, 2, 2, 1), np.float32), rows=4)
