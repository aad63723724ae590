"""ONNX export through tf2onnx, with the graph's own input and output names and a dynamic batch."""

import onnx
import tf2onnx

from keras_gans.export import onnx_optimize, signatures

DEFAULT_OPSET = 17
BATCH_DIM = "batch"
SPATIAL_DIMS = ("height", "width")


def _rename(graph, old, new):
    """Renames the value `old` to `new` everywhere in `graph`."""
    for node in graph.node:
        node.input[:] = [new if name == old else name for name in node.input]
        node.output[:] = [new if name == old else name for name in node.output]
    for value in list(graph.input) + list(graph.output):
        if value.name == old:
            value.name = new


def _name_batch_axis(values):
    for value in values:
        dims = value.type.tensor_type.shape.dim
        if dims:
            dims[0].ClearField("dim_value")
            dims[0].dim_param = BATCH_DIM
        # Images of any size (CycleGAN's translators): one name per axis in inputs and outputs
        # says the output has the input's height and width.
        if len(dims) == 4:
            for dim, name in zip(dims[1:3], SPATIAL_DIMS):
                if dim.WhichOneof("value") != "dim_value":
                    dim.dim_param = name


def convert(model, uint8=False, opset=DEFAULT_OPSET, metadata=None, target="cpu"):
    """Converts `model`'s serving function to an `onnx.ModelProto`.

    Args:
        model: A functional `keras.Model` with named inputs and outputs.
        uint8: Return uint8 images instead of floats.
        opset: ONNX opset, at least 17.
        metadata: Optional `{key: str}` stored as the model's `metadata_props`.
        target: The execution provider the graph is tuned for, `cpu` or `cuda` (see
            `onnx_optimize.optimize`); either runs anywhere, with the same outputs.

    Returns:
        The model, with graph inputs and outputs named as `model`'s and a `batch` axis.
    """
    if opset < DEFAULT_OPSET:
        raise ValueError(f"opset must be at least {DEFAULT_OPSET}; received {opset}.")
    if target not in onnx_optimize.TARGETS:
        raise ValueError(
            f"onnx_target must be one of {onnx_optimize.TARGETS}; received {target!r}."
        )
    specs = signatures.input_specs(model)
    names = signatures.output_names(model)
    # tf2onnx runs its transpose optimizer by default: it pushes the NHWC<->NCHW transposes it
    # inserts around each convolution through the element-wise ops until pairs cancel.
    proto, _ = tf2onnx.convert.from_function(
        signatures.serving_function(model, uint8=uint8), input_signature=specs, opset=opset
    )
    graph = proto.graph
    # tf2onnx names values `<name>:0` in some versions; the serving API uses the bare names.
    for value, want in list(zip(graph.input, [s.name for s in specs])) + list(
        zip(graph.output, names)
    ):
        if value.name != want:
            _rename(graph, value.name, want)
    got = ([v.name for v in graph.input], [v.name for v in graph.output])
    if got != ([s.name for s in specs], names):
        raise RuntimeError(
            f"tf2onnx produced inputs/outputs {got}; expected {[s.name for s in specs]}, {names}."
        )
    _name_batch_axis(graph.input)
    _name_batch_axis(graph.output)
    onnx_optimize.optimize(proto, target)
    for key, value in sorted({**(metadata or {}), "onnx_target": target}.items()):
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.checker.check_model(proto)
    return proto


def save_onnx(model, path, uint8=False, opset=DEFAULT_OPSET, metadata=None, target="cpu"):
    """Writes `model` as an ONNX file at `path`; see `convert`."""
    onnx.save(convert(model, uint8=uint8, opset=opset, metadata=metadata, target=target), path)
