"""The ONNX file and its runner: names, opset, dynamic batch, input checks, provider choice."""

import logging
import re
import subprocess
import sys

import numpy as np
import onnx
import pytest

from keras_gans.export import OnnxRunner, providers


def test_onnx_file_has_graph_names_opset_and_batch_axis(exported):
    for name, graph in exported.graphs.items():
        proto = onnx.load(exported.result.paths[name]["onnx"])
        opset = {o.domain: o.version for o in proto.opset_import}[""]
        assert opset >= 17
        assert [i.name for i in proto.graph.input] == [t.name for t in graph.inputs]
        assert [o.name for o in proto.graph.output] == ["images"]
        for value in list(proto.graph.input) + list(proto.graph.output):
            assert value.type.tensor_type.shape.dim[0].dim_param == "batch"
        meta = {p.key: p.value for p in proto.metadata_props}
        assert meta["graph"] == name and meta["output_dtype"] == "float32"


def test_runner_reports_metadata_and_specs(export_of):
    runner = OnnxRunner(export_of("cgan").result.paths["generator"]["onnx"])
    assert runner.provider == "CPUExecutionProvider"  # no GPU on the test machines
    assert runner.metadata["num_classes"] == "3"
    assert [s.describe() for s in runner.input_specs] == [
        "noise: float32 [batch, 8]",
        "labels: int32 [batch] in [0, 3)",
    ]
    assert runner.output_names == ["images"]


def test_io_binding_gives_the_same_images(export_of):
    path = export_of("dcgan").result.paths["generator"]["onnx"]
    noise = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    plain = OnnxRunner(path).run({"noise": noise})["images"]
    bound = OnnxRunner(path, io_binding=True).run({"noise": noise})["images"]
    np.testing.assert_array_equal(bound, plain)


NOISE = np.zeros((2, 8), np.float32)
LABELS = np.array([0, 2], np.int32)
BAD_INPUTS = [
    (
        {"noise": NOISE},
        "Missing input 'labels': the model expects noise: float32 [batch, 8]; "
        "labels: int32 [batch] in [0, 3); received inputs ['noise'].",
    ),
    (
        {"noise": np.zeros((2, 5), np.float32), "labels": LABELS},
        "Input 'noise' must have shape [batch, 8]; received shape (2, 5).",
    ),
    (
        {"noise": NOISE.astype(np.float64), "labels": LABELS},
        "Input 'noise' must be float32 [batch, 8]; received dtype float64 "
        "(convert with .astype(np.float32)).",
    ),
    (
        {"noise": NOISE, "labels": LABELS.astype(np.float32)},
        "Input 'labels' must hold integers (int32 [batch]); received dtype float32.",
    ),
    (
        {"noise": NOISE, "labels": np.array([0, 3])},
        "Input 'labels' must lie in [0, 3) (class ids); received min 0, max 3.",
    ),
    (
        {"noise": NOISE, "labels": LABELS, "z": NOISE},
        "Unknown input 'z': the model expects noise: float32 [batch, 8]; "
        "labels: int32 [batch] in [0, 3).",
    ),
    (
        {"noise": NOISE, "labels": np.array([0, 1, 2])},
        "All inputs must have the same batch size; received {'noise': 2, 'labels': 3}.",
    ),
]


@pytest.mark.parametrize(
    "feed, message",
    BAD_INPUTS,
    ids=[
        "missing",
        "latent_size",
        "float64",
        "float_labels",
        "label_range",
        "unknown",
        "batch_mismatch",
    ],
)
def test_runner_rejects_bad_inputs(export_of, feed, message):
    runner = OnnxRunner(export_of("cgan").result.paths["generator"]["onnx"])
    with pytest.raises(ValueError, match=re.escape(message)):
        runner.run(feed)


def test_runner_accepts_any_integer_label_dtype(export_of):
    runner = OnnxRunner(export_of("cgan").result.paths["generator"]["onnx"])
    int64 = runner.run({"noise": NOISE, "labels": np.array([0, 2])})["images"]
    int32 = runner.run({"noise": NOISE, "labels": LABELS})["images"]
    np.testing.assert_array_equal(int64, int32)


class FallingBackSession:
    """An InferenceSession that, like onnxruntime-gpu without CUDA libraries, runs on the CPU."""

    requested = []

    def __init__(self, path, sess_options=None, providers=None, provider_options=None):
        FallingBackSession.requested.append(list(providers))
        self._session = REAL_SESSION(
            path, sess_options=sess_options, providers=["CPUExecutionProvider"]
        )

    def get_providers(self):
        return ["CPUExecutionProvider"]

    def __getattr__(self, name):
        return getattr(self._session, name)


REAL_SESSION = providers.ort.InferenceSession


@pytest.fixture
def cuda_listed_but_broken(monkeypatch):
    FallingBackSession.requested = []
    monkeypatch.setattr(
        providers.ort, "get_available_providers", lambda: [providers.CUDA, providers.CPU]
    )
    monkeypatch.setattr(providers, "cuda_device_count", lambda: 1)
    monkeypatch.setattr(providers.ort, "InferenceSession", FallingBackSession)


def test_fallback_from_cuda_is_detected_and_reported(export_of, cuda_listed_but_broken, caplog):
    with caplog.at_level(logging.INFO, logger="keras_gans.export.providers"):
        runner = OnnxRunner(export_of("gan").result.paths["generator"]["onnx"])
    assert FallingBackSession.requested == [[providers.CUDA, providers.CPU]]
    assert runner.provider == "CPUExecutionProvider"
    assert "fell back to CPUExecutionProvider" in caplog.text
    assert "on CPUExecutionProvider" in caplog.text
    assert runner.run({"noise": NOISE})["images"].shape == (2, 8, 8, 1)


def test_required_cuda_fails_instead_of_falling_back(export_of, cuda_listed_but_broken):
    with pytest.raises(RuntimeError, match="CUDAExecutionProvider was requested .* fell back"):
        OnnxRunner(export_of("gan").result.paths["generator"]["onnx"], device="cuda")


def test_cuda_is_not_requested_without_a_device(monkeypatch):
    monkeypatch.setattr(
        providers.ort, "get_available_providers", lambda: [providers.CUDA, providers.CPU]
    )
    monkeypatch.setattr(providers, "cuda_device_count", lambda: 0)
    assert providers.requested_providers("auto") == [providers.CPU]
    monkeypatch.setattr(providers, "cuda_device_count", lambda: 2)
    assert providers.requested_providers("auto") == [providers.CUDA, providers.CPU]
    assert providers.requested_providers("cpu") == [providers.CPU]
    with pytest.raises(
        ValueError, match=r"device must be one of \('auto', 'cpu', 'cuda'\); received 'tpu'"
    ):
        providers.requested_providers("tpu")


def test_runner_imports_and_runs_without_tensorflow(export_of, tmp_path):
    """A deployment box may hold onnxruntime and numpy only: the runner never imports TensorFlow."""
    path = export_of("dcgan").result.paths["generator"]["onnx"]
    script = (
        "import sys\n"
        "sys.modules['tensorflow'] = None  # any `import tensorflow` now raises ImportError\n"
        "sys.modules['keras'] = None\n"
        "import numpy as np\n"
        "from keras_gans.export import OnnxRunner\n"
        f"runner = OnnxRunner({str(path)!r})\n"
        "images = runner.run({'noise': np.zeros((2, 8), np.float32)})['images']\n"
        "print(images.shape, runner.provider)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "CPUExecutionProvider"
    assert "(2, " in done.stdout


def test_cuda_provider_options_carry_device_and_tf32_switch():
    assert providers.options_for(
        ["CUDAExecutionProvider", "CPUExecutionProvider"], 1, tf32=False
    ) == [
        {"device_id": 1, "use_tf32": 0},
        {},
    ]
    assert providers.options_for(["CPUExecutionProvider"]) == [{}]
    assert providers.options_for(["CUDAExecutionProvider"])[0]["use_tf32"] == 1


def test_onnx_target_picks_the_transposed_convolution_form(tmp_path):
    from keras_gans.export import export_model
    from keras_gans.models import DCGAN

    model = DCGAN.build(image_shape=(16, 16, 1), latent_dim=8, base_filters=16)
    ops = {}
    for target in ("cpu", "cuda"):
        result = export_model(model, tmp_path / target, formats=("onnx",), onnx_target=target)
        proto = onnx.load(result.paths["generator"]["onnx"])
        ops[target] = [n.op_type for n in proto.graph.node]
        assert {p.key: p.value for p in proto.metadata_props}["onnx_target"] == target
    # 16x16 from 4x4: the 32-channel layer becomes sub-pixel convolutions for the CPU; the 1-channel
    # output layer stays a ConvTranspose either way.
    assert ops["cpu"].count("Conv") == 4 and ops["cpu"].count("ConvTranspose") == 1
    assert "Conv" not in ops["cuda"] and ops["cuda"].count("ConvTranspose") == 2
    with pytest.raises(
        ValueError, match="onnx_target must be one of \\('cpu', 'cuda'\\); received 'tpu'"
    ):
        export_model(model, tmp_path / "tpu", formats=("onnx",), onnx_target="tpu")
    assert not (tmp_path / "tpu").exists()
