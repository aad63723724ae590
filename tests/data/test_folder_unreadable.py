"""Corrupt or truncated files in an image folder are skipped, counted and logged."""

import logging

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import load_folder


def write_png(path, value=0):
    tf.io.write_file(str(path), tf.io.encode_png(np.full((10, 10, 3), value, np.uint8)))


def test_corrupt_and_truncated_files_are_skipped_and_counted(tmp_path, caplog):
    for i in range(3):
        write_png(tmp_path / f"{i}.png", 40 * i)
    (tmp_path / "truncated.png").write_bytes((tmp_path / "0.png").read_bytes()[:20])
    (tmp_path / "junk.jpg").write_bytes(b"not an image")
    with caplog.at_level(logging.WARNING):
        dataset, info = load_folder(str(tmp_path), 8, 1)
    assert info.num_examples == 3 and len(list(dataset)) == 3
    assert "Skipped 2 unreadable image file(s) of 5" in caplog.text
    assert "junk.jpg" in caplog.text and "truncated.png" in caplog.text


def test_a_folder_of_only_unreadable_files_is_an_error(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(ValueError, match=r"None of the 1 image files under .* could be decoded"):
        load_folder(str(tmp_path), 8, 1)
