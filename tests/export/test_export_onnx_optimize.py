"""The ONNX rewrites keep the function: a ConvTranspose/Conv followed by per-channel Mul and Add."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from keras_gans.export.onnx_optimize import (
    fold_channel_affine,
    fold_dense_into_channels_first,
    split_strided_conv_transpose,
)


def conv_graph(op, scale_shape, weights_shape):
    rng = np.random.default_rng(0)
    weights = rng.standard_normal(weights_shape).astype(np.float32)
    out_channels = weights_shape[1] if op == "ConvTranspose" else weights_shape[0]
    attributes = (
        {"strides": [2, 2], "pads": [1, 1, 1, 1]}
        if op == "ConvTranspose"
        else {"pads": [1, 1, 1, 1]}
    )
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
        numpy_helper.from_array(
            rng.standard_normal((1, out_channels, 1, 1)).astype(np.float32), "offset"
        ),
    ]
    in_channels = weights_shape[0] if op == "ConvTranspose" else weights_shape[1]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", in_channels, 5, 5])],
        [
            helper.make_tensor_value_info(
                "out", TensorProto.FLOAT, ["batch", out_channels, None, None]
            )
        ],
        initializers,
    )
    # IR version 8 (opset 17 era): onnx writes its newest by default, newer than onnxruntime reads.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def run(model, x):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


@pytest.mark.parametrize(
    "op, weights_shape", [("ConvTranspose", (3, 4, 4, 4)), ("Conv", (4, 3, 4, 4))]
)
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


def conv_transpose_graph(
    in_channels, out_channels, kernel, stride, pads, bias=True, size=5, activation=("Relu", {})
):
    rng = np.random.default_rng(2)
    weights = rng.standard_normal((in_channels, out_channels, kernel, kernel)).astype(np.float32)
    initializers = [numpy_helper.from_array(weights, "w")]
    inputs = ["x", "w"]
    if bias:
        initializers.append(
            numpy_helper.from_array(rng.standard_normal(out_channels).astype(np.float32), "b")
        )
        inputs.append("b")
    node = helper.make_node(
        "ConvTranspose",
        inputs,
        ["y"],
        kernel_shape=[kernel, kernel],
        strides=[stride, stride],
        pads=pads,
    )
    op, attributes = activation
    graph = helper.make_graph(
        [node, helper.make_node(op, ["y"], ["out"], **attributes)],
        "g",
        [
            helper.make_tensor_value_info(
                "x",
                TensorProto.FLOAT,
                ["batch", in_channels, size, size] if size else ["batch", in_channels, "h", "w"],
            )
        ],
        [
            helper.make_tensor_value_info(
                "out", TensorProto.FLOAT, ["batch", out_channels, None, None]
            )
        ],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


@pytest.mark.parametrize(
    "kernel, stride, pads, bias",
    [
        (4, 2, [1, 1, 1, 1], True),  # DCGAN's 'same' 4x4 stride-2 layers
        (4, 2, [0, 0, 2, 2], False),  # the same output size, padded on one side only
        (2, 2, [0, 0, 0, 0], True),  # one tap per phase
        (6, 3, [1, 2, 2, 1], True),  # stride 3
    ],
)
def test_strided_conv_transpose_becomes_phase_convolutions(kernel, stride, pads, bias):
    model = conv_transpose_graph(3, 16, kernel, stride, pads, bias)
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 5)).astype(np.float32)
    expected = run(model, x)
    assert expected.shape == (2, 16, 5 * stride, 5 * stride)
    assert split_strided_conv_transpose(model) == 1
    onnx.checker.check_model(model)
    ops = [n.op_type for n in model.graph.node]
    # The ReLU moved onto each phase (ONNX Runtime fuses Conv + Relu); no DepthToSpace transpose.
    assert (
        ops[: 2 * stride**2 : 2] == ["Conv"] * stride**2
        and ops[1 : 2 * stride**2 : 2] == ["Relu"] * stride**2
    )
    assert (
        "ConvTranspose" not in ops and "DepthToSpace" not in ops and ops.count("Relu") == stride**2
    )
    assert all(
        list(i.dims[2:]) == [kernel // stride] * 2
        for i in model.graph.initializer
        if i.name.endswith("/W")
    )
    np.testing.assert_allclose(run(model, x), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
    "out_channels, kernel, stride, pads",
    [
        (3, 4, 2, [1, 1, 1, 1]),  # an RGB output layer: ConvTranspose is faster there
        (16, 3, 2, [1, 1, 1, 1]),  # kernel not a multiple of the stride
        (16, 4, 2, [0, 0, 0, 0]),  # output larger than stride x input
    ],
)
def test_other_conv_transposes_stay(out_channels, kernel, stride, pads):
    model = conv_transpose_graph(3, out_channels, kernel, stride, pads)
    assert split_strided_conv_transpose(model) == 0
    assert [n.op_type for n in model.graph.node] == ["ConvTranspose", "Relu"]


def test_interleave_keeps_spatial_sizes_dynamic_and_moves_leaky_relu_with_its_alpha():
    model = conv_transpose_graph(
        3, 16, 4, 2, [1, 1, 1, 1], size=None, activation=("LeakyRelu", {"alpha": 0.3})
    )
    rng = np.random.default_rng(4)
    inputs = [rng.standard_normal((2, 3, h, w)).astype(np.float32) for h, w in ((5, 5), (3, 7))]
    expected = [run(model, x) for x in inputs]
    assert split_strided_conv_transpose(model) == 1
    onnx.checker.check_model(model)
    leaky = [n for n in model.graph.node if n.op_type == "LeakyRelu"]
    assert len(leaky) == 4 and all(
        helper.get_attribute_value(n.attribute[0]) == pytest.approx(0.3) for n in leaky
    )
    for x, want in zip(inputs, expected):
        got = run(model, x)
        assert got.shape == (2, 16, 2 * x.shape[2], 2 * x.shape[3])
        np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-5)


def test_an_activation_shared_with_another_consumer_stays_after_the_interleave():
    model = conv_transpose_graph(3, 16, 4, 2, [1, 1, 1, 1])
    model.graph.node.append(helper.make_node("Neg", ["y"], ["raw"]))
    model.graph.output.append(helper.make_tensor_value_info("raw", TensorProto.FLOAT, None))
    x = np.random.default_rng(5).standard_normal((2, 3, 5, 5)).astype(np.float32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    expected = session.run(None, {"x": x})
    assert split_strided_conv_transpose(model) == 1
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Relu") == 1 and ops[-2:] == ["Relu", "Neg"]
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for got, want in zip(session.run(None, {"x": x}), expected):
        np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-5)


def projection_graph(
    scale_shape=(1, 1, 1, 6), perm=(0, 3, 1, 2), target=(-1, 2, 3, 6), offsets=True
):
    """noise -> MatMul -> Add -> Reshape NHWC -> Mul -> Add -> LeakyRelu -> Transpose -> Conv."""
    rng = np.random.default_rng(6)
    constants = {
        "w": rng.standard_normal((5, 36)),
        "b": rng.standard_normal(36),
        "shape": np.array(target, np.int64),
        "scale": rng.uniform(0.5, 2, scale_shape),
        "shift": rng.standard_normal((6,)),
        "k": rng.standard_normal((4, 6, 3, 3)),
    }
    if not offsets:  # an untrained BatchNormalization after a bias-free Dense
        constants["b"], constants["shift"] = np.zeros(36), np.zeros(6)
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"]),
        helper.make_node("Add", ["b", "m"], ["biased"]),
        helper.make_node("Reshape", ["biased", "shape"], ["nhwc"]),
        helper.make_node("Mul", ["nhwc", "scale"], ["scaled"]),
        helper.make_node("Add", ["scaled", "shift"], ["shifted"]),
        helper.make_node("LeakyRelu", ["shifted"], ["act"], alpha=0.2),
        helper.make_node("Transpose", ["act"], ["nchw"], perm=list(perm)),
        helper.make_node("Conv", ["nchw", "k"], ["out"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    initializers = [
        numpy_helper.from_array(v if v.dtype == np.int64 else v.astype(np.float32), k)
        for k, v in constants.items()
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 5])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 4, None, None])],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


@pytest.mark.parametrize(
    "offsets, ops",
    [
        (True, ["MatMul", "Add", "Reshape", "LeakyRelu", "Conv"]),
        (False, ["MatMul", "Reshape", "LeakyRelu", "Conv"]),  # no all-zero bias Add
    ],
)
def test_a_projection_to_nhwc_writes_nchw_and_loses_its_transpose(offsets, ops):
    model = projection_graph(offsets=offsets)
    x = np.random.default_rng(7).standard_normal((3, 5)).astype(np.float32)
    expected = run(model, x)
    assert fold_dense_into_channels_first(model) == 1
    onnx.checker.check_model(model)
    assert [n.op_type for n in model.graph.node] == ops
    shape = next(
        numpy_helper.to_array(i) for i in model.graph.initializer if i.name.endswith("/shape")
    )
    assert shape.tolist() == [-1, 6, 2, 3]
    np.testing.assert_allclose(run(model, x), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"perm": (0, 2, 3, 1)},  # not the NHWC -> NCHW transpose
        {"scale_shape": (2, 3, 6)},  # a per-pixel scale, not per channel
        {"target": (-1, 36, 1)},  # not an image reshape
    ],
)
def test_other_projections_stay(kwargs):
    model = projection_graph(**kwargs)
    before = [n.op_type for n in model.graph.node]
    assert fold_dense_into_channels_first(model) == 0
    assert [n.op_type for n in model.graph.node] == before
