"""The SavedModel as TF Serving sees it: signature names, REST body, uint8 option, models.config."""

import json
import os

import numpy as np
import onnx
import tensorflow as tf
from model_factories import build

from keras_gans.export import export_model
from keras_gans.export.metadata import read_saved_model_metadata


def load_signature(path):
    return tf.saved_model.load(path).signatures["serving_default"]


def test_serving_default_has_the_graph_names(exported):
    for name, graph in exported.graphs.items():
        signature = load_signature(exported.result.paths[name]["saved_model"])
        _, inputs = signature.structured_input_signature
        assert sorted(inputs) == sorted(t.name for t in graph.inputs)
        for tensor in graph.inputs:
            spec = inputs[tensor.name]
            assert spec.dtype == tf.as_dtype(tensor.dtype)
            assert spec.shape.as_list() == [None, *tensor.shape[1:]]
        outputs = signature.structured_outputs
        assert list(outputs) == ["images"]
        assert outputs["images"].dtype == tf.float32
        assert outputs["images"].shape.as_list() == [None, *graph.outputs[0].shape[1:]]


def test_cgan_signature_documented_names(export_of):
    signature = load_signature(export_of("cgan").result.paths["generator"]["saved_model"])
    _, inputs = signature.structured_input_signature
    assert {k: (v.dtype.name, v.shape.as_list()) for k, v in inputs.items()} == {
        "noise": ("float32", [None, 8]),
        "labels": ("int32", [None]),
    }


def rest_predict(signature, body):
    """What TF Serving does with a row-format ("instances") predict request."""
    _, specs = signature.structured_input_signature
    instances = json.loads(json.dumps(body))["instances"]
    columns = {
        name: tf.constant(np.asarray([row[name] for row in instances], spec.dtype.as_numpy_dtype))
        for name, spec in specs.items()
    }
    return {"predictions": signature(**columns)["images"].numpy().tolist()}


def test_rest_instances_body_as_in_the_readme(export_of):
    cgan = export_of("cgan")
    signature = load_signature(cgan.result.paths["generator"]["saved_model"])
    # Built exactly as docs/export.md shows it.
    noise = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    labels = [0, 1, 2, 1]
    body = {"instances": [{"noise": z.tolist(), "labels": int(y)} for z, y in zip(noise, labels)]}
    response = rest_predict(signature, body)
    images = np.asarray(response["predictions"], dtype=np.float32)
    expected = np.asarray(cgan.graphs["generator"]([noise, np.asarray(labels, np.int32)]))
    assert images.shape == (4, 8, 8, 1)
    np.testing.assert_allclose(images, expected, atol=1e-5, rtol=0)


def test_models_config_lists_every_graph(exported):
    text = open(exported.result.models_config).read()
    assert exported.result.models_config == os.path.join(exported.export_dir, "models.config")
    assert text.startswith("model_config_list {")
    for name in exported.graphs:
        assert f'name: "{name}"' in text and f'base_path: "/models/{name}"' in text
    assert 'model_platform: "tensorflow"' in text


def test_metadata_is_recorded_beside_the_saved_model(export_of):
    meta = read_saved_model_metadata(export_of("cgan").result.paths["generator"]["saved_model"])
    assert meta == {
        "graph": "generator",
        "model_class": "CGAN",
        "latent_dim": "8",
        "num_classes": "3",
        "output_dtype": "float32",
        "image_signatures": "serving_png",
    }


def test_uint8_option(tmp_path):
    gan = build("gan")
    result = export_model(gan, str(tmp_path), uint8=True)
    paths = result.paths["generator"]
    signature = load_signature(paths["saved_model"])
    assert signature.structured_outputs["images"].dtype == tf.uint8
    noise = np.random.default_rng(1).standard_normal((3, 8)).astype("float32")
    served = signature(noise=tf.constant(noise))["images"].numpy()
    expected = np.round((np.asarray(gan.inference_models()["generator"](noise)) + 1.0) * 127.5)
    assert served.dtype == np.uint8
    assert np.max(np.abs(served.astype(np.float64) - expected)) <= 1
    output = onnx.load(paths["onnx"]).graph.output[0]
    assert output.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    assert all(r.tolerance == 1.0 and r.passed for r in result.parity["generator"])
