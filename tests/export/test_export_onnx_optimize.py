"""The ONNX rewrites keep the function: a ConvTranspose/Conv followed by per-channel Mul and Add."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from keras_gans.export.onnx_optimize import fold_channel_affine


def conv_graph(op, scale_shape, weights_shape):
    rng = np.random.default_rng(0)
    weights = rng.standard_normal(weights_shape).astype(np.float32)
    out_channels = weights_shape[1] if op == "ConvTranspose" else weights_shape[0]
    attributes = {"strides": [2, 2], "pads": [1, 1, 1, 1]} if op == "ConvTranspose" else {"pads": [1, 1, 1, 1]}
    nodes = [
        helper.make_node(op, ["x", "w", "b"], ["y"], kernel_shape=[4, 4], **attributes),
        helper.make_node("Mul", ["y", "scale"], ["scaled"]),
        helper.make_node("Add", ["offset", "scaled"], ["shifted"]),
        helper.make_node("Relu", ["shifted"], ["out"]),
    ]
    initializers = [
        numpy_helper.from_array(weights, "w"),
        numpy_helper.from_array(rng.standard_normal(out_channels).astype(np.float32), "b"),
        numpy_helper.from_array(rng.uniform(0.5, 2, scale_shape).astype(np.float32), "scale"),
        numpy_helper.from_array(rng.standard_normal((1, out_channels, 1, 1)).astype(np.float32), "offset"),
    ]
    in_channels = weights_shape[0] if op == "ConvTranspose" else weights_shape[1]
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", in_channels, 5, 5])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", out_channels, None, None])],
        initializers,
    )
    # IR version 8 (opset 17 era): onnx writes its newest by default, newer than onnxruntime reads.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def run(model, x):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


@pytest.mark.parametrize("op, weights_shape", [("ConvTranspose", (3, 4, 4, 4)), ("Conv", (4, 3, 4, 4))])
def test_per_channel_mul_and_add_fold_into_the_convolution(op, weights_shape):
    model = conv_graph(op, (1, 4, 1, 1), weights_shape)
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 5)).astype(np.float32)
    expected = run(model, x)
    assert fold_channel_affine(model) == 2
    onnx.checker.check_model(model)
    assert [n.op_type for n in model.graph.node] == [op, "Relu"]
    np.testing.assert_allclose(run(model, x), expected, atol=1e-5, rtol=1e-5)


def test_constants_that_are_not_per_channel_stay():
    # A [4] vector broadcasts over the last (width) axis of NCHW, not over channels.
    model = conv_graph("ConvTranspose", (4,), (3, 4, 4, 4))
    before = [n.op_type for n in model.graph.node]
    assert fold_channel_affine(model) == 0
    assert [n.op_type for n in model.graph.node] == before
