"""`keras-gans-translate` and `keras_gans.export.translate`: photos of any size through an exported
CycleGAN translator, one PNG each, and bad input named in one line."""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from cli_client import one_error_line

from keras_gans import images as images_lib
from keras_gans.export import load_generator
from keras_gans.export.translate import TranslateConfig, translate_files

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def write_png(path, pixels):
    tf.io.write_file(str(path), tf.io.encode_png(np.asarray(pixels, np.uint8)))


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """Two grey PNGs of different sizes, one non-square and neither a multiple of 4."""
    folder = tmp_path_factory.mktemp("photos")
    rng = np.random.default_rng(0)
    pixels = {
        "square": rng.integers(0, 256, (13, 13, 1)),
        "wide": rng.integers(0, 256, (21, 34, 1)),
    }
    for stem, values in pixels.items():
        write_png(folder / f"{stem}.png", values)
    return folder, pixels


@pytest.mark.parametrize("fmt", ["saved_model", "onnx"])
def test_each_photo_is_translated_at_its_own_size(export_of, photos, fmt, tmp_path):
    folder, pixels = photos
    model_path = export_of("cyclegan").result.paths["b_to_a"][fmt]
    written = translate_files(TranslateConfig(model_path, str(folder), str(tmp_path / "out")))
    assert [os.path.basename(p) for p in written] == ["square.png", "wide.png"]
    runner = load_generator(model_path, device="cpu")
    for path, (stem, values) in zip(written, sorted(pixels.items())):
        got = tf.io.decode_png(tf.io.read_file(path)).numpy()
        assert got.shape == values.shape, stem
        # The runner on the same pixels mapped to [-1, 1] by hand: the PNG holds its output.
        # (tf.image.convert_image_dtype's float32 arithmetic: times 1/255, not divided by 255).
        x = (values.astype(np.float32) * np.float32(1 / 255) * 2 - 1)[np.newaxis]
        expected = images_lib.to_uint8(runner.run({"image_b": x})["images"][0])
        np.testing.assert_array_equal(got, expected, err_msg=stem)


def test_colour_photos_are_converted_to_the_model_channels(export_of, tmp_path):
    write_png(tmp_path / "colour.png", np.full((9, 11, 3), 200))
    model_path = export_of("cyclegan").result.paths["a_to_b"]["onnx"]
    config = TranslateConfig(model_path, str(tmp_path / "colour.png"), str(tmp_path / "out"))
    [path] = translate_files(config)
    assert tf.io.decode_png(tf.io.read_file(path)).shape == (9, 11, 1)


def test_an_export_folder_needs_a_direction(export_of, photos, tmp_path):
    export_dir = export_of("cyclegan").export_dir
    config = TranslateConfig(export_dir, str(photos[0]), str(tmp_path))
    with pytest.raises(ValueError, match=r"holds the translators \['a_to_b', 'b_to_a'\]"):
        translate_files(config)
    with pytest.raises(ValueError, match=r"direction must be one of .* received 'a_to_c'"):
        translate_files(TranslateConfig(export_dir, str(photos[0]), str(tmp_path), "a_to_c"))
    onnx = export_of("cyclegan").result.paths["a_to_b"]["onnx"]
    with pytest.raises(ValueError, match=r"model.onnx translates a_to_b, not --direction=b_to_a"):
        translate_files(TranslateConfig(onnx, str(photos[0]), str(tmp_path), "b_to_a"))


def test_bad_inputs_are_named(export_of, tmp_path):
    model_path = export_of("cyclegan").result.paths["a_to_b"]["saved_model"]
    (tmp_path / "notes.png").write_text("not an image")
    cases = [
        (str(tmp_path / "notes.png"), r"Cannot read .*notes\.png as an image"),
        (str(tmp_path / "missing"), r"input '.*missing' does not exist"),
    ]
    for source, message in cases:
        with pytest.raises(ValueError, match=message):
            translate_files(TranslateConfig(model_path, source, str(tmp_path / "out")))
    write_png(tmp_path / "tiny.png", np.zeros((4, 30, 1)))
    with pytest.raises(ValueError, match=r"tiny\.png is 30x4; the translator needs sides of at"):
        translate_files(TranslateConfig(model_path, str(tmp_path / "tiny.png"), str(tmp_path)))
    with pytest.raises(ValueError, match=r"model_path must be a SavedModel folder, an \.onnx"):
        translate_files(TranslateConfig(str(tmp_path / "notes.png"), str(tmp_path), str(tmp_path)))
    assert not (tmp_path / "out").exists()


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "keras_gans.flags.translate_main", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def test_cli_translates_with_a_direction(export_of, photos, tmp_path):
    export_dir = export_of("cyclegan").export_dir
    result = run_cli(
        f"--model_path={export_dir}",
        "--direction=a_to_b",
        f"--input={photos[0] / 'wide.png'}",
        f"--output={tmp_path}",
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote 1 images to {tmp_path}" in result.stdout
    assert tf.io.decode_png(tf.io.read_file(str(tmp_path / "wide.png"))).shape == (21, 34, 1)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--input={text}"], "Cannot read {text} as an image"),
        ([], "--input is required; received None."),
        (["--input={text}", "--model_path={text}"], "model_path must be a SavedModel folder"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(export_of, tmp_path, args, message, cli):
    # In the session's worker (`cli_client`): the real process runs in the test above.
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    model = export_of("cyclegan").result.paths["a_to_b"]["onnx"]
    argv = [f"--model_path={model}", f"--output={tmp_path / 'out'}"]
    result = cli.run("translate_main", [*argv, *(a.format(text=text) for a in args)])
    assert message.format(text=text) in one_error_line(result, "keras-gans-translate")
