"""The `captions` signature in the normal export path (`export_model`, so training and the CLI)."""

import json
import os
import subprocess
import sys

import gan_test_case as case
import numpy as np
import onnx
import pytest
import tensorflow as tf
from stackgan_case import build_stage1

from keras_gans.export import export_model, save_saved_model
from keras_gans.export.metadata import read_saved_model_metadata

CAPTIONS = ["a thick seven", "a purple one leaning left"]  # "purple", "leaning", "left": unknown

# Runs with TensorFlow alone, as TF Serving would: argv = saved_model_dir inputs.npz outputs.npz.
_SERVE_SCRIPT = """
import json, sys
import numpy as np
import tensorflow as tf

path, inputs_path, outputs_path = sys.argv[1:4]
loaded = tf.saved_model.load(path)
stored = np.load(inputs_path, allow_pickle=True)
captions = tf.constant([str(c) for c in stored["captions"]])
noise = tf.constant(stored["noise"])
from_captions = loaded.signatures["captions"](captions=captions, noise=noise)["images"].numpy()
from_embeddings = loaded.signatures["serving_default"](
    text_embedding=tf.constant(stored["embeddings"]), noise=noise
)["images"].numpy()
try:
    empty = tf.constant(["a seven", "", "!!"])
    loaded.signatures["captions"](captions=empty, noise=tf.repeat(noise[:1], 3, axis=0))
    empty_error = None
except tf.errors.InvalidArgumentError as error:
    empty_error = error.message
np.savez(outputs_path, from_captions=from_captions, from_embeddings=from_embeddings)
print(json.dumps({
    "signatures": sorted(loaded.signatures),
    "empty_error": empty_error,
    "keras_gans_imported": any(m.startswith("keras_gans") for m in sys.modules),
}))
"""


@pytest.fixture(scope="module")
def caption_export(tmp_path_factory):
    """A tiny Stage I with the built-in encoder and EMA weights apart from its trained ones."""
    model = build_stage1()
    model.compile(ema_decay=0.5)
    # Every weight moves, the averages independently of the trained weights, as training would.
    rng = np.random.default_rng(4)
    for variable in model.weights:
        value = np.asarray(variable) + rng.normal(0, 0.2, variable.shape).astype("float32")
        variable.assign(np.abs(value) if "variance" in variable.path else value)
    export_dir = str(tmp_path_factory.mktemp("caption-export"))
    return model, export_model(model, export_dir), export_dir


def test_export_adds_the_caption_signature_to_the_generator(caption_export):
    model, result, export_dir = caption_export
    assert result.signatures == {"generator": ("captions",)}
    assert sorted(result.paths) == ["generator"]  # no folder of its own: one model to serve
    assert all(r.passed for reports in result.parity.values() for r in reports)
    assert [r.batch_size for r in result.parity["generator/captions"]] == [1, 7]
    with open(os.path.join(export_dir, "models.config")) as handle:
        assert handle.read().count("name:") == 1
    saved = result.paths["generator"]["saved_model"]
    assert read_saved_model_metadata(saved)["extra_signatures"] == "captions"
    # ONNX keeps the embedding chain: no string input.
    graph = onnx.load(result.paths["generator"]["onnx"]).graph
    assert [i.name for i in graph.input] == ["text_embedding", "noise"]


def test_caption_signature_in_a_fresh_tensorflow_process(caption_export, tmp_path):
    model, result, _ = caption_export
    noise = model.sample_noise(len(CAPTIONS), seed=5)
    embeddings = model.encode(CAPTIONS)
    inputs, outputs = str(tmp_path / "in.npz"), str(tmp_path / "out.npz")
    np.savez(inputs, captions=np.array(CAPTIONS, dtype=object), noise=noise, embeddings=embeddings)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="-1")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _SERVE_SCRIPT,
            result.paths["generator"]["saved_model"],
            inputs,
            outputs,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["signatures"] == ["captions", "serving_default", "serving_png"]
    assert not report["keras_gans_imported"]
    with np.load(outputs) as served:
        images, from_embeddings = served["from_captions"], served["from_embeddings"]
    assert images.shape == (2, 8, 8, 1) and images.dtype == np.float32
    assert np.all(np.abs(images) <= 1)
    # The string graph is the embedding chain fed the encoder's embedding.
    np.testing.assert_allclose(images, from_embeddings, atol=1e-5)
    # EMA weights (encoder included), as model.sample uses them; not the raw trained ones.
    np.testing.assert_allclose(images, model.sample(captions=CAPTIONS, noise=noise), atol=1e-5)
    raw = np.asarray(model.caption_chain()([tf.constant(CAPTIONS), tf.constant(noise)]))
    assert np.max(np.abs(images - raw)) > 1e-3
    assert "captions must each contain at least one word" in report["empty_error"]
    assert "<> at index 1, <!!> at index 2" in report["empty_error"]


def test_keras_caption_graph_refuses_empty_captions(caption_export):
    model, _, _ = caption_export
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"(?s)at least one word.*<  > at index 0"
    ):
        model.caption_chain()([tf.constant(["  "]), tf.constant(model.sample_noise(1))])
    with pytest.raises(ValueError, match="at least one word; received '' at index 1"):
        model.sample(captions=["a one", ""])


def test_onnx_only_export_has_no_extra_signatures(caption_export, tmp_path):
    model, _, _ = caption_export
    result = export_model(model, str(tmp_path), formats=("onnx",), batch_sizes=(2,))
    assert result.signatures == {} and sorted(result.parity) == ["generator"]


def test_precomputed_embeddings_have_no_caption_signature():
    model = case.tiny_embedding_stackgan()
    assert model.saved_model_signatures(model.inference_models()) == {}


def test_bad_extra_signatures(caption_export, tmp_path):
    model, _, _ = caption_export
    graphs = model.inference_models()
    captions_graph = model.saved_model_signatures(graphs)["generator"]["captions"]
    for bad, message in [
        ({"serving_default": captions_graph}, "would replace the graph's own 'serving_default'"),
        ({"serving_png": captions_graph}, "would replace the graph's own 'serving_png'"),
        ({"by caption": captions_graph}, "identifiers such as 'captions'; received 'by caption'"),
        ({"captions": "not a model"}, "Signature 'captions' must be a keras.Model; received str"),
    ]:
        with pytest.raises(ValueError, match=message):
            save_saved_model(graphs["generator"], str(tmp_path / "x"), extra_signatures=bad)
    assert not (tmp_path / "x").exists()


def test_hook_naming_an_unknown_graph_writes_nothing(tmp_path):
    model = build_stage1()
    model.saved_model_signatures = lambda graphs: {"decoder": {"captions": graphs["generator"]}}
    message = r"extends the graph 'decoder'; the model's graphs are \['generator'\]"
    with pytest.raises(ValueError, match=message):
        export_model(model, str(tmp_path / "export"))
    assert not (tmp_path / "export").exists()
