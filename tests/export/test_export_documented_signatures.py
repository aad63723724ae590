"""docs/export.md's signature table, row by row, checked on real exports (SavedModel and ONNX)."""

import base64
import json
import os
import re

import onnx
import tensorflow as tf

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "export.md")
ONNX_TYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT32: "int32"}


def doc_rows():
    """`{model cell: (graph cell, inputs cell, output cell)}` of the "### Signatures" table."""
    text = open(DOC, encoding="utf-8").read().split("### Signatures", 1)[1]
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): tuple(cell.strip() for cell in cells[1:]) for cells in rows[1:]}


def signature_specs(exported, graph):
    """`(inputs, outputs)` of the SavedModel's serving_default: `{name: (dtype, shape)}` each."""
    path = exported.result.paths[graph]["saved_model"]
    signature = tf.saved_model.load(path).signatures["serving_default"]
    _, inputs = signature.structured_input_signature

    def specs(tensors):
        return {name: (spec.dtype.name, spec.shape.as_list()) for name, spec in tensors.items()}

    return specs(inputs), specs(signature.structured_outputs)


def onnx_specs(exported, graph):
    """The same from the ONNX graph (the batch axis `None`, as in the SavedModel)."""
    model = onnx.load(exported.result.paths[graph]["onnx"])

    def specs(values):
        return {
            value.name: (
                ONNX_TYPES[value.type.tensor_type.elem_type],
                [dim.dim_value or None for dim in value.type.tensor_type.shape.dim],
            )
            for value in values
        }

    return specs(model.graph.input), specs(model.graph.output)


def check_row(model_cell, exported, graphs, inputs_by_graph, images_shape):
    """The doc row `model_cell` lists `graphs`, and each export takes and returns what it says."""
    graph_cell, inputs_cell, output_cell = doc_rows()[model_cell]
    assert re.findall(r"`(\w+)`", graph_cell.split("(")[0]) == list(graphs), graph_cell
    assert output_cell == "`images`: float32 `[batch, H, W, C]`", output_cell
    outputs = {"images": ("float32", [None, *images_shape])}
    for graph in graphs:
        inputs = inputs_by_graph[graph]
        for name, (dtype, _) in inputs.items():
            documented = re.sub(
                r"^noise_[1-9]\d*$", "noise_k", name
            )  # LAPGAN's finer levels, k = 1 ... L-1
            assert f"`{documented}`" in inputs_cell, (model_cell, name, inputs_cell)
            # The super_resolution row gives its shared inputs "as in `sampler`", dtypes included.
            assert dtype in inputs_cell or "as in `sampler`" in inputs_cell, (
                model_cell,
                name,
                inputs_cell,
            )
        assert signature_specs(exported, graph) == (inputs, outputs)
        assert onnx_specs(exported, graph) == (inputs, outputs)


def test_gan_dcgan_row(export_of):
    # Factories: GAN 8x8x1 and DCGAN 16x16x1, latent_dim 8.
    for name, shape in [("gan", [8, 8, 1]), ("dcgan", [16, 16, 1])]:
        check_row(
            "GAN, DCGAN",
            export_of(name),
            ["generator"],
            {"generator": {"noise": ("float32", [None, 8])}},
            shape,
        )


def test_cgan_row(export_of):
    inputs = {"noise": ("float32", [None, 8]), "labels": ("int32", [None])}
    check_row("CGAN", export_of("cgan"), ["generator"], {"generator": inputs}, [8, 8, 1])


def test_cyclegan_row(export_of):
    # Each translator takes its own domain's images: a REST body names `image_a` or `image_b`.
    # Height and width are open: the translators take images of any size (trained at 16x16).
    inputs = {
        "a_to_b": {"image_a": ("float32", [None, None, None, 1])},
        "b_to_a": {"image_b": ("float32", [None, None, None, 1])},
    }
    check_row("CycleGAN", export_of("cyclegan"), ["a_to_b", "b_to_a"], inputs, [None, None, 1])


def test_lapgan_rows(export_of):
    # Factory: 3 levels, 16x16x1, latent_dim 8, 3 classes: H_0 = 4, noise_1 8x8, noise_2 16x16.
    lapgan = export_of("lapgan")
    assert sorted(lapgan.result.paths) == ["sampler", "super_resolution"]
    noise = {"noise_1": ("float32", [None, 8, 8, 1]), "noise_2": ("float32", [None, 16, 16, 1])}
    labels = {"labels": ("int32", [None])}
    check_row(
        "LAPGAN",
        lapgan,
        ["sampler"],
        {"sampler": {"noise_0": ("float32", [None, 8]), **noise, **labels}},
        [16, 16, 1],
    )
    check_row(
        "LAPGAN (L ≥ 2)",
        lapgan,
        ["super_resolution"],
        {"super_resolution": {"coarse_images": ("float32", [None, 4, 4, 1]), **noise, **labels}},
        [16, 16, 1],
    )


def test_stackgan_row(export_of):
    # Factory: Stage II (8 -> 32) over Stage I (latent_dim 4, condition_dim 4 each),
    # embeddings of size 6.
    stackgan = export_of("stackgan")
    assert sorted(stackgan.result.paths) == ["generator"]
    assert stackgan.model.noise_dim == 4 + 4 + 4
    inputs = {"text_embedding": ("float32", [None, 6]), "noise": ("float32", [None, 12])}
    images = signature_specs(stackgan, "generator")[1]["images"][1][1:]
    check_row("StackGAN", stackgan, ["generator"], {"generator": inputs}, images)
    # Precomputed embeddings: no caption signature.
    assert stackgan.result.signatures == {}


def images_section():
    """The text of the "Images in and out of TF Serving" section."""
    text = open(DOC, encoding="utf-8").read().split("### Images in and out of TF Serving", 1)[1]
    return text.split("\n### ", 1)[0]


def test_images_section_matches_exports(export_of):
    # Graph name in the URL and the instance keys pick the export: CGAN's generator, CycleGAN.
    exports = {
        ("generator", frozenset({"noise", "labels"})): export_of("cgan"),
        ("a_to_b", frozenset({"image_a_bytes"})): export_of("cyclegan"),
    }
    text = images_section()
    requests = re.findall(r"v1/models/(\w+):predict \\\s+-d '(\{.*\})'", text)
    assert len(requests) == 2, requests
    for graph, body in requests:
        body = json.loads(re.sub(r", \.\.\.[^\]]*\]", "]", body))  # "...64 floats..." elided
        instance_keys = frozenset(body["instances"][0])
        path = exports[graph, instance_keys].result.paths[graph]["saved_model"]
        signature = tf.saved_model.load(path).signatures[body["signature_name"]]
        assert set(signature.structured_input_signature[1]) == instance_keys
        # One `_bytes` output: TF Serving base64-encodes it and drops its name in the response.
        assert list(signature.structured_outputs) == ["images_bytes"]
        assert f"| `{body['signature_name']}` |" in text
        assert re.search(
            rf"--dir runs/\w+/export/{graph}/1 .*--signature_def {body['signature_name']}", text
        )
    response = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    (prediction,) = response["predictions"]
    assert list(prediction) == ["b64"]
    png_magic = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()[:10]
    assert prediction["b64"].startswith(png_magic)
    assert "`images_bytes`: string `[batch]`" in text and "`image_b_bytes` (`b_to_a`)" in text
    b_to_a = export_of("cyclegan").result.paths["b_to_a"]["saved_model"]
    inputs = (
        tf.saved_model.load(b_to_a).signatures["serving_image_bytes"].structured_input_signature
    )
    assert list(inputs[1]) == ["image_b_bytes"]
