"""The table of bad inputs in docs/cli.md: one test per row, each a clear error or a counted skip.

Each row names what a user does wrong and the message they see; `CLI_ROWS` checks that the
command line turns them into one line and exit code 2, never a traceback.
"""

import logging
import os
import subprocess
import sys

import gan_test_case as case
import numpy as np
import pytest
import tensorflow as tf
from cli_client import one_error_line

from keras_gans.data import load_folder, load_tfds, make_dataset
from keras_gans.training import TrainConfig

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def png(path, shape, value=100):
    tf.io.write_file(str(path), tf.io.encode_png(np.full(shape, value, np.uint8)))


def test_corrupt_file_in_a_folder_is_skipped_counted_and_logged(tmp_path, caplog):
    png(tmp_path / "good.png", (12, 12, 1))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with caplog.at_level(logging.WARNING):
        dataset, info = load_folder(str(tmp_path), 8, 1)
    assert info.num_examples == 1
    assert "Skipped 1 unreadable image file(s) of 2" in caplog.text


def test_empty_folder(tmp_path):
    with pytest.raises(
        ValueError, match=r"No image files found under .*; searched recursively for \.png"
    ):
        load_folder(str(tmp_path), 8, 1)


def test_mixed_sizes_are_resized(tmp_path):
    png(tmp_path / "small.png", (9, 13, 1))
    png(tmp_path / "large.png", (40, 30, 1))
    dataset, _ = load_folder(str(tmp_path), 16, 1)
    assert [tuple(e["images"].shape) for e in dataset] == [(16, 16, 1), (16, 16, 1)]


def test_grey_and_colour_mixed_are_converted(tmp_path):
    png(tmp_path / "grey.png", (10, 10, 1))
    png(tmp_path / "colour.png", (10, 10, 3))
    for channels in (1, 3):
        dataset, _ = load_folder(str(tmp_path), 8, channels)
        assert {e["images"].shape[-1] for e in dataset} == {channels}


def test_unknown_tfds_name():
    with pytest.raises(ValueError, match="no_such_dataset_xyz"):
        load_tfds("no_such_dataset_xyz", 16, 1)


def test_labels_out_of_range(tmp_path):
    from keras_gans.data import dataset_from_arrays

    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\); received min 0, max 10"):
        dataset_from_arrays(np.zeros((4, 8, 8, 1)), [0, 1, 10, 2], num_classes=10, batch_size=2)


def test_global_batch_not_divisible_by_replicas():
    with pytest.raises(ValueError, match="global batch 10 cannot be split evenly over 4 replicas"):
        make_dataset("digits", 8, 1, batch_size=10, num_replicas=4)


def test_contradictory_flags():
    with pytest.raises(
        ValueError, match=r"--stage applies to stackgan only; received --model=cgan with --stage=2"
    ):
        TrainConfig(model="cgan", stage=2)
    with pytest.raises(
        ValueError, match=r"--levels applies to lapgan only; received --model=dcgan"
    ):
        TrainConfig(model="dcgan", levels=3)


def test_a_keras_file_that_is_not_one(tmp_path):
    from keras_gans.export import load_generator

    fake = tmp_path / "model.keras"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="model.keras"):
        load_generator(str(fake))


def test_an_onnx_file_that_is_not_one(tmp_path):
    from keras_gans.export import load_generator

    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"\x00\x01 not a protobuf")
    with pytest.raises(ValueError, match="model.onnx"):
        load_generator(str(fake))


@pytest.fixture(scope="module")
def tiny_stackgan():
    """A Stage-I StackGAN with its text encoder (8x8, a few words): it takes caption strings."""
    from keras_gans.models import StackGAN

    model = StackGAN.build(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        vocabulary=["a", "thick", "seven"],
        embedding_dim=8,
        sequence_length=4,
        condition_dim=4,
        base_filters=4,
        seed=3,
    )
    model.compile()
    return model


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            [1, 2, 3],
            r"captions must be strings; received int at index 0 "
            r"\(precomputed embeddings go to `text_embedding`\)",
        ),
        (7, r"captions must be strings; received int at index 0"),
        (
            np.zeros((2, 8), np.float32),
            r"captions must be a non-empty list of strings; received shape \(2, 8\)",
        ),
        (tf.constant([0.5]), r"captions must be strings; received float32 at index 0"),
    ],
)
def test_numbers_where_captions_are_expected(tiny_stackgan, bad, message):
    with pytest.raises(ValueError, match=message):
        tiny_stackgan.sample(captions=bad)
    with pytest.raises(ValueError, match=message):
        tiny_stackgan.encode(bad)


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            ["a thick seven"],
            r"text embeddings must be floats of shape \[batch, 8\]; received dtype string",
        ),
        (
            np.zeros((2, 8), np.int32),
            r"text embeddings must be floats of shape \[batch, 8\]; received dtype int32",
        ),
        (
            np.zeros((2, 3, 8), np.float32),
            r"text embeddings must have shape \[batch, 8\]; received shape \(2, 3, 8\)",
        ),
        (
            np.zeros((8,), np.float32),
            r"text embeddings must have shape \[batch, 8\]; received shape \(8,\)",
        ),
        (
            np.zeros((2, 5), np.float32),
            r"text embeddings must have shape \[batch, 8\]; received shape \(2, 5\)",
        ),
    ],
)
def test_strings_or_wrong_shapes_where_embeddings_are_expected(tiny_stackgan, bad, message):
    with pytest.raises(ValueError, match=message):
        tiny_stackgan.sample(text_embedding=bad)


def test_numbers_where_training_captions_are_expected(tiny_stackgan):
    images = np.zeros((4, 8, 8, 1), np.float32)
    numbers = tf.data.Dataset.from_tensor_slices(
        {"images": images, "captions": np.zeros((4, 8), np.float32)}
    )
    with pytest.raises(
        ValueError, match=r"encodes captions itself: .*; received text of dtype float32"
    ):
        tiny_stackgan.fit(numbers.batch(4), epochs=1, verbose=0)


def test_a_batch_key_that_names_the_other_kind_of_text(tiny_stackgan):

    images = np.zeros((2, 8, 8, 1), np.float32)
    with pytest.raises(
        ValueError, match=r"batch's 'embeddings' holds float embeddings; received caption strings"
    ):
        tiny_stackgan.prepare_batch(
            {"images": images, "embeddings": tf.constant(["a seven", "a thick seven"])}
        )
    by_embedding = case.tiny_embedding_stackgan()
    with pytest.raises(
        ValueError,
        match=r"batch's 'captions' holds caption strings; received numbers of dtype float32",
    ):
        by_embedding.prepare_batch({"images": images, "captions": np.zeros((2, 6), np.float32)})
    ragged = [[0.1] * 6, [0.2] * 5]
    with pytest.raises(
        ValueError, match=r"text embeddings must be a rectangular array .* received list"
    ):
        by_embedding.sample(text_embedding=ragged)
    with pytest.raises(
        ValueError, match=r"the batch's 'embeddings' must be a rectangular array .* received list"
    ):
        by_embedding.prepare_batch({"images": images, "embeddings": ragged})


def caption_folder(root, caption_bytes):
    """The StackGAN release layout with one image whose caption file holds `caption_bytes`."""
    png(root / "images" / "bird" / "b_1.png", (8, 8, 3))
    (root / "text" / "bird").mkdir(parents=True)
    (root / "text" / "bird" / "b_1.txt").write_bytes(caption_bytes)
    return root


def test_caption_files_that_are_not_captions(tmp_path):
    from keras_gans.data.captions import make_caption_dataset

    not_text = tf.io.encode_png(np.zeros((4, 4, 1), np.uint8)).numpy()  # an image saved as .txt
    for name, content, message in [
        (
            "image",
            not_text,
            r"b_1.txt' is not UTF-8 text \(byte 0\); expected one caption per line",
        ),
        ("empty", b"\n  \n", r"b_1.txt' holds no caption; expected one caption per line"),
        ("no_words", b"a small bird\n!!!\n", r"b_1.txt': caption 2 \('!!!'\) holds no word"),
    ]:
        folder = caption_folder(tmp_path / name, content)
        with pytest.raises(ValueError, match=message):
            make_caption_dataset(f"folder:{folder}", image_size=8, channels=3, batch_size=1)


CLI_ROWS = [
    ("train", ["--dataset=folder:{empty}"], "No image files found under"),
    ("train", ["--model=cgan", "--stage=2"], "--stage applies to stackgan only"),
    ("train", ["--dataset=tfds:no_such_dataset_xyz"], "no_such_dataset_xyz"),
    ("sample_main", ["--model_path={fake}", "--output={out}"], "model.keras"),
    ("train", ["--model=stackgan", "--dataset=folder:{not_text}"], "is not UTF-8 text"),
    ("train", ["--model=stackgan", "--dataset=folder:{no_caption}"], "holds no caption"),
]
PROGRAMS = {"train": "keras-gans-train", "sample_main": "keras-gans-sample"}


@pytest.mark.parametrize("module, args, message", CLI_ROWS)
def test_cli_rows_are_one_line_and_exit_2(module, args, message, tmp_path, cli):
    # In the session's worker for the entry point (`cli_client`); test_train_cli.py and the
    # `--once` cases below run the real processes.
    (tmp_path / "empty").mkdir()
    fake = tmp_path / "model.keras"
    fake.write_bytes(b"not a zip")
    folders = {
        "not_text": caption_folder(tmp_path / "not_text", b"\x89PNG\r\n\x1a\n\x00\xff"),
        "no_caption": caption_folder(tmp_path / "no_caption", b"\n"),
    }
    args = [
        a.format(empty=tmp_path / "empty", fake=fake, out=tmp_path / "grid.png", **folders)
        for a in args
    ]
    if module == "train":
        args.append(f"--output_dir={tmp_path / 'run'}")
    assert message in one_error_line(cli.run(module, args), PROGRAMS[module])


WORKER = os.path.join(os.path.dirname(__file__), "flags", "cli_worker.py")
SAMPLE_FAULT = "keras_gans.export.sampler:sample_grid:{}"


@pytest.mark.parametrize("error, code", [("InternalError", 1), ("InvalidArgumentError", 2)])
def test_only_bad_input_becomes_one_line_and_exit_2(error, code, tmp_path):
    # keras-gans-sample through absl's real app.run, with `error` raised inside the library call:
    # the machine's failures keep their traceback and exit 1; bad data or a missing file is one
    # line and exit 2.
    result = subprocess.run(
        [
            sys.executable,
            WORKER,
            "--once",
            "keras_gans.flags.sample_main",
            SAMPLE_FAULT.format(error),
            f"--model_path={tmp_path}/model.keras",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert result.returncode == code, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    if code == 1:
        assert "Traceback (most recent call last)" in result.stderr
        assert (
            f"tensorflow.python.framework.errors_impl.{error}: injected runtime failure"
            in result.stderr
        )
        assert not any(line.startswith("keras-gans-sample: error:") for line in errors)
    else:
        assert "Traceback" not in result.stderr
        assert errors == ["keras-gans-sample: error: injected runtime failure"]


@pytest.mark.parametrize(
    "error, bad_input",
    [
        ("ResourceExhaustedError", False),
        ("UnavailableError", False),
        ("NotFoundError", True),
    ],
)
def test_other_errors_split_the_same_way(error, bad_input, tmp_path, cli):
    # The same split for the other errors, in the session's worker: an escaping exception is
    # what app.run prints as a traceback with exit 1.
    result = cli.run(
        "sample_main", [f"--model_path={tmp_path}/model.keras"], SAMPLE_FAULT.format(error)
    )
    assert result["fault_raised"]
    if bad_input:
        assert one_error_line(result, "keras-gans-sample").endswith("injected runtime failure")
    else:
        assert result["code"] is None
        assert f"{error}: injected runtime failure" in result["traceback"]
