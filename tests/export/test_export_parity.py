"""Every model factory's exports compute what Keras computes (the acceptance parity test)."""

import numpy as np
import pytest
from model_factories import build

from keras_gans.export import OnnxRunner, ParityError, verify
from keras_gans.export.inputs import random_inputs, specs_from_tensor_specs
from keras_gans.export.signatures import input_specs

TOLERANCES = {"saved_model": 1e-5, "onnx": 1e-4}


@pytest.mark.parametrize("batch_size", [1, 7])
@pytest.mark.parametrize("fmt", ["saved_model", "onnx"])
def test_export_matches_keras(exported, fmt, batch_size):
    # The export ran `verify` (SavedModel reloaded in a fresh process); its reports must be in.
    for name in exported.graphs:
        reports = [
            r for r in exported.result.parity[name] if (r.format, r.batch_size) == (fmt, batch_size)
        ]
        assert len(reports) == 1, exported.result.parity[name]
        assert reports[0].max_abs_diff <= TOLERANCES[fmt], str(reports[0])


def test_onnx_runtime_matches_keras_on_fresh_inputs(exported):
    for name, graph in exported.graphs.items():
        runner = OnnxRunner(exported.result.paths[name]["onnx"], device="cpu")
        # CycleGAN's translators take any size: feed one off the training grid, not a multiple of 4.
        shapes = {
            s.name: (13, 18, s.shape[-1]) for s in runner.input_specs if None in tuple(s.shape)[1:]
        }
        feed = random_inputs(runner.input_specs, batch_size=5, seed=123, shapes=shapes)
        values = [feed[t.name] for t in graph.inputs]
        expected = np.asarray(graph(values if len(values) > 1 else values[0]))
        np.testing.assert_allclose(runner.run(feed)["images"], expected, atol=1e-4, rtol=0)


def test_verify_fails_loudly_when_the_export_differs(export_of):
    gan = export_of("gan")
    other = build("gan", seed=1)
    with pytest.raises(ParityError, match=r"onnx batch 1: max abs diff .* FAILED"):
        verify(
            other.inference_models()["generator"], {"onnx": gan.result.paths["generator"]["onnx"]}
        )


def test_verify_rejects_unknown_formats(export_of):
    gan = export_of("gan")
    with pytest.raises(ValueError, match="Unknown export format 'tflite'; expected one of"):
        verify(gan.graphs["generator"], {"tflite": "model.tflite"})


def test_random_inputs_draw_labels_below_num_classes(export_of):
    graph = export_of("cgan").graphs["generator"]
    feed = random_inputs(specs_from_tensor_specs(input_specs(graph), num_classes=3), 64, seed=0)
    assert feed["labels"].dtype == np.int32 and set(feed["labels"]) == {0, 1, 2}
    assert feed["noise"].shape == (64, 8) and feed["noise"].dtype == np.float32
