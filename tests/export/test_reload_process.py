"""The fresh process that checks SavedModels: started before the exports are written, one per
export, and failures that name the SavedModel and the child's error."""

import subprocess

import numpy as np
import pytest
from model_factories import build

from keras_gans.export import ParityError, export_model, parity, reload_process, saved_model

# These tests check the library's own child per export, not the suite's shared one (conftest).
pytestmark = pytest.mark.own_reloader


@pytest.fixture
def recorded(monkeypatch):
    """Records, in order, each child process started and each SavedModel written."""
    events = []
    popen, save = subprocess.Popen, saved_model.save_saved_model

    def spy_popen(*args, **kwargs):
        events.append("child")
        process = popen(*args, **kwargs)
        events.append(process)
        return process

    def spy_save(*args, **kwargs):
        events.append("saved_model")
        return save(*args, **kwargs)

    monkeypatch.setattr(reload_process.subprocess, "Popen", spy_popen)
    monkeypatch.setattr(saved_model, "save_saved_model", spy_save)
    return events


def test_one_child_started_first_serves_every_graph_of_an_export(recorded, tmp_path):
    # Two graphs, as CycleGAN's translators (a small one twice keeps the test quick).
    generator = build("gan").inference_models()["generator"]
    result = export_model({"a_to_b": generator, "b_to_a": generator}, str(tmp_path))
    names = [e for e in recorded if isinstance(e, str)]
    # Its TensorFlow import overlaps the writing; the two graphs share it.
    assert names == ["child", "saved_model", "saved_model"]
    assert sorted(result.parity) == ["a_to_b", "b_to_a"]
    for reports in result.parity.values():
        assert {r.format for r in reports} == {"saved_model", "onnx"}
    (process,) = [e for e in recorded if not isinstance(e, str)]
    assert process.returncode == 0  # it ended with the export, cleanly


def test_an_export_without_saved_model_starts_no_child(recorded, tmp_path):
    export_model(build("gan"), str(tmp_path), formats=("onnx",))
    assert recorded == []


def test_a_missing_saved_model_fails_with_the_childs_error(tmp_path):
    missing = tmp_path / "nothing"
    with pytest.raises(ParityError, match=r"(?s)Reloading the SavedModel .*nothing.*exited.*"):
        parity.reload_saved_model_outputs(missing, {"b1": {"x": np.zeros((1, 2), np.float32)}})


def test_a_child_that_does_not_answer_in_time_is_killed(tmp_path):
    reloader = reload_process.SavedModelReloader(timeout_s=0.01)
    with reloader, pytest.raises(reload_process.ReloadError, match=r"no answer within 0.01 s"):
        # The child is still importing TensorFlow: no answer comes within 10 ms.
        reloader.run(tmp_path, {"b1": {"x": np.zeros((1, 2), np.float32)}})
    assert reloader.process.returncode is not None


def test_a_child_never_asked_is_stopped_at_once():
    reloader = reload_process.SavedModelReloader()
    reloader.close()
    # Killed, not left to finish its import: a negative return code names the signal.
    assert reloader.process.returncode < 0
