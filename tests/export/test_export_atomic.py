"""Exports appear whole or not at all, and never overwrite a version."""

import os
import re

import pytest
from model_factories import build

from keras_gans.export import ParityError, export_model, onnx_export, parity


@pytest.fixture(scope="module")
def gan():
    return build("gan")


def listing(folder):
    return sorted(
        os.path.relpath(os.path.join(root, name), folder)
        for root, dirs, files in os.walk(folder)
        for name in dirs + files
    )


def test_failure_mid_export_leaves_nothing(gan, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    # The SavedModel is written first; the ONNX step then fails.
    monkeypatch.setattr(onnx_export, "save_onnx", fail)
    export_dir = tmp_path / "export"
    with pytest.raises(OSError, match="disk full"):
        export_model(gan, str(export_dir))
    assert not export_dir.exists()


def test_failed_parity_check_leaves_only_earlier_versions(gan, tmp_path, monkeypatch):
    export_model(gan, str(tmp_path), formats=("onnx",))
    before = listing(tmp_path)
    monkeypatch.setitem(parity.TOLERANCES, "onnx", -1.0)
    with pytest.raises(ParityError, match="FAILED"):
        export_model(gan, str(tmp_path), formats=("onnx",))
    assert listing(tmp_path) == before == ["generator", "generator/1", "generator/1/model.onnx"]


def test_versions_count_up_and_are_never_overwritten(gan, tmp_path):
    first = export_model(gan, str(tmp_path), formats=("onnx",))
    second = export_model(gan, str(tmp_path), formats=("onnx",))
    assert (first.version, second.version) == (1, 2)
    assert second.paths["generator"]["onnx"] == str(tmp_path / "generator" / "2" / "model.onnx")
    mtime = os.path.getmtime(first.paths["generator"]["onnx"])
    existing = str(tmp_path / "generator" / "1")
    with pytest.raises(
        ValueError, match=re.escape(f"{existing} already exists; an export never overwrites")
    ):
        export_model(gan, str(tmp_path), formats=("onnx",), version=1)
    assert os.path.getmtime(first.paths["generator"]["onnx"]) == mtime
    assert export_model(gan, str(tmp_path), formats=("onnx",), version=7).version == 7
    assert sorted(os.listdir(tmp_path / "generator")) == ["1", "2", "7"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"formats": ("onnx", "tflite")},
            "Unknown export format 'tflite'; expected one of ('saved_model', 'onnx').",
        ),
        ({"formats": ()}, "formats must name at least one of"),
        ({"version": 0}, "version must be a positive integer or None; received 0."),
        ({"version": "2"}, "version must be a positive integer or None; received '2'."),
    ],
)
def test_bad_arguments_fail_before_writing(gan, tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        export_model(gan, str(tmp_path / "export"), **kwargs)
    assert not (tmp_path / "export").exists()


def test_rejects_objects_without_inference_graphs(tmp_path):
    with pytest.raises(ValueError, match="Expected a training model with inference_models"):
        export_model(object(), str(tmp_path))
