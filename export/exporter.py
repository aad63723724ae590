"""Export every inference graph of a training model to SavedModel and/or ONNX, verified, atomically.

Layout (TF Serving's: a folder per model, a numeric folder per version):

    <export_dir>/models.config                     # model_config_list for tensorflow_model_server
    <export_dir>/<graph name>/<version>/           # SavedModel: saved_model.pb, variables/
    <export_dir>/<graph name>/<version>/model.onnx # the same graph for ONNX Runtime

A graph's SavedModel may carry extra signatures beside `serving_default` (the training model's
`saved_model_signatures()`, e.g. StackGAN's `captions`, which takes caption strings); they are
front ends ONNX cannot express, so `model.onnx` keeps the graph alone. They live in the graph's
own SavedModel, not in folders of their own: they share its weights and its version, and
`models.config` keeps one entry per graph. Every SavedModel also returns PNG bytes under
`serving_png`, and a graph with image inputs (the model's `image_inputs()`, CycleGAN's
translators) takes PNG or JPEG bytes under `serving_image_bytes` (`image_bytes`).

All graphs of one export share one version. They are written and verified in a hidden staging
folder inside `export_dir` and renamed into place only when every check passed.
"""

import contextlib
import dataclasses
import functools
import logging
import os

import keras

from keras_gans.export import (
    atomic,
    onnx_export,
    onnx_optimize,
    parity,
    reload_process,
    saved_model,
    serving_config,
)
from keras_gans.export import metadata as metadata_lib

ONNX_FILE = "model.onnx"

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ExportResult:
    """What one export wrote.

    Attributes:
        version: The version every graph was written under.
        paths: `{graph_name: {format: path}}`; a SavedModel's path is its version folder.
        parity: The `ParityReport`s of every graph, format and batch size; an extra signature's
            are under `"<graph>/<signature>"` (e.g. `generator/captions`).
        models_config: The `models.config` path, or None without a SavedModel.
        signatures: `{graph_name: (signature keys beside serving_default)}` for the graphs whose
            SavedModel has extra signatures of the model's own; the PNG signatures every
            SavedModel has (`image_bytes.SIGNATURE_KEYS`) are not listed.
    """

    version: int
    paths: dict
    parity: dict
    models_config: str | None
    signatures: dict = dataclasses.field(default_factory=dict)


def check_formats(formats):
    """Returns `formats` as a tuple after checking each is known and present once."""
    formats = tuple(formats)
    if not formats:
        raise ValueError(f"formats must name at least one of {parity.FORMATS}; received none.")
    for fmt in formats:
        if fmt not in parity.FORMATS:
            raise ValueError(f"Unknown export format {fmt!r}; expected one of {parity.FORMATS}.")
    if len(set(formats)) != len(formats):
        raise ValueError(f"formats lists a format twice: {formats}.")
    return formats


def _graphs(training_model):
    if isinstance(training_model, keras.Model) and hasattr(training_model, "inference_models"):
        graphs = training_model.inference_models()
    elif isinstance(training_model, dict):
        graphs, training_model = training_model, None
    else:
        raise ValueError(
            "Expected a training model with inference_models() or a dict {name: keras.Model}; "
            f"received {type(training_model).__name__}."
        )
    if not graphs:
        raise ValueError("The model names no inference graphs to export.")
    for name, graph in graphs.items():
        if not isinstance(name, str) or not name or name.startswith(".") or os.sep in name:
            raise ValueError(f"Graph names must be plain folder names; received {name!r}.")
        if not isinstance(graph, keras.Model):
            raise ValueError(
                f"Graph {name!r} must be a keras.Model; received {type(graph).__name__}."
            )
    return graphs, training_model


def _extra_signatures(training_model, graphs, formats):
    """`{graph_name: {key: keras.Model}}` from the model's `saved_model_signatures(graphs)`."""
    hook = getattr(training_model, "saved_model_signatures", None)
    if hook is None or "saved_model" not in formats:
        return {}
    extras = dict(hook(graphs) or {})
    for name, by_key in extras.items():
        if name not in graphs:
            raise ValueError(
                f"saved_model_signatures() extends the graph {name!r}; the model's graphs are "
                f"{sorted(graphs)}."
            )
        extras[name] = saved_model.check_extra_signatures(by_key)
    return {name: by_key for name, by_key in extras.items() if by_key}


def _image_inputs(training_model, graphs):
    """`{graph_name: (input names)}` from the model's `image_inputs()`, checked against `graphs`."""
    hook = getattr(training_model, "image_inputs", None)
    by_graph = dict(hook() or {}) if hook is not None else {}
    known = {name: [tensor.name for tensor in graph.inputs] for name, graph in graphs.items()}
    for name, inputs in by_graph.items():
        if name not in known or not set(inputs) <= set(known[name]):
            raise ValueError(
                f"image_inputs() names the inputs {tuple(inputs)} of the graph {name!r}; the "
                f"graphs and their inputs are {known}."
            )
    return by_graph


def _version(export_dir, names, version):
    if version is None:
        return atomic.next_version(export_dir, names)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"version must be a positive integer or None; received {version!r}.")
    for name in names:
        path = os.path.join(export_dir, name, str(version))
        if os.path.exists(path):
            raise ValueError(
                f"{path} already exists; an export never overwrites a version. Pass another "
                "version or version=None for the next free one."
            )
    return version


def export_model(
    training_model,
    export_dir,
    formats=("saved_model", "onnx"),
    uint8=False,
    version=None,
    batch_sizes=(1, 7),
    opset=onnx_export.DEFAULT_OPSET,
    serving_base_path="/models",
    onnx_target="cpu",
    input_shapes=None,
):
    """Exports every graph of `training_model.inference_models()` and checks parity.

    Parity holds each export to the training model's `generate(inputs, graph=name)` on the same
    inputs (to the graph itself for a dict of graphs).

    With the `saved_model` format, the graphs' extra signatures
    (`training_model.saved_model_signatures(graphs)`) are written into their SavedModels and
    checked against Keras too.

    Args:
        training_model: A keras-gans training model, or a dict `{name: keras.Model}`.
        export_dir: The export folder (created if needed).
        formats: Any of `saved_model`, `onnx`.
        uint8: Graphs return uint8 images in [0, 255] instead of float32 in [-1, 1].
        version: The version to write; None for one more than the largest present.
        batch_sizes: Batch sizes of the parity check.
        opset: ONNX opset (17 or newer).
        onnx_target: `cpu` (default) or `cuda`: which ONNX Runtime provider the graph's layout is
            tuned for (strided transposed convolutions become sub-pixel convolutions for the CPU).
        serving_base_path: Where `export_dir` is mounted in the TF Serving container; written
            into `models.config`.
        input_shapes: `{input_name: shape without the batch axis}`: the size parity feeds to
            inputs of open size (CycleGAN's translators take any height and width). Default: the
            training model's `image_shape`.

    Returns:
        An `ExportResult`.

    Raises:
        ValueError: On bad arguments or when the version exists (before anything is written).
        ParityError: If an export differs from Keras beyond tolerance; nothing is left behind.
    """
    formats = check_formats(formats)
    if onnx_target not in onnx_optimize.TARGETS:
        raise ValueError(
            f"onnx_target must be one of {onnx_optimize.TARGETS}; received {onnx_target!r}."
        )
    graphs, training_model = _graphs(training_model)
    extras = _extra_signatures(training_model, graphs, formats)
    image_inputs = _image_inputs(training_model, graphs)
    export_dir = os.path.abspath(os.fspath(export_dir))
    version = _version(export_dir, list(graphs), version)
    created_export_dir = not os.path.exists(export_dir)
    paths, reports, moves = {}, {}, []
    try:
        # Started first: the fresh process imports TensorFlow while the exports are written.
        with _reloader(formats) as reloader, atomic.staging_dir(export_dir) as staging:
            for name, graph in graphs.items():
                staged = os.path.join(staging, name, str(version))
                os.makedirs(os.path.dirname(staged))
                meta = metadata_lib.graph_metadata(training_model, name, uint8)
                staged_paths = _write_graph(
                    graph,
                    staged,
                    formats,
                    uint8,
                    opset,
                    meta,
                    extras.get(name),
                    onnx_target,
                    image_inputs.get(name, ()),
                )
                reports[name] = parity.verify(
                    graph,
                    staged_paths,
                    batch_sizes=batch_sizes,
                    uint8=uint8,
                    num_classes=metadata_lib.num_classes(meta),
                    reference=_generate_reference(training_model, name),
                    input_shapes=input_shapes or _open_input_shapes(training_model, graph),
                    reloader=reloader,
                )
                final = os.path.join(export_dir, name, str(version))
                moves.append((staged, final))
                paths[name] = {fmt: p.replace(staged, final, 1) for fmt, p in staged_paths.items()}
                reports[name] = [
                    dataclasses.replace(r, path=paths[name][r.format]) for r in reports[name]
                ]
                extra_reports = saved_model.verify_extra_signatures(
                    staged,
                    extras.get(name),
                    batch_sizes=batch_sizes,
                    uint8=uint8,
                    reloader=reloader,
                )
                for key, key_reports in extra_reports.items():
                    reports[f"{name}/{key}"] = [
                        dataclasses.replace(r, path=r.path.replace(staged, final, 1))
                        for r in key_reports
                    ]
                for key in [name, *(f"{name}/{k}" for k in extra_reports)]:
                    for report in reports[key]:
                        logger.info("%s: %s", key, report)
            atomic.publish(moves)
    except BaseException:
        if created_export_dir and os.path.isdir(export_dir) and not os.listdir(export_dir):
            os.rmdir(export_dir)
        raise
    config = None
    if "saved_model" in formats:
        config = serving_config.write_models_config(export_dir, serving_base_path)
    return ExportResult(
        version=version,
        paths=paths,
        parity=reports,
        models_config=config,
        signatures={name: tuple(by_key) for name, by_key in extras.items()},
    )


def _reloader(formats):
    """The fresh process that checks the SavedModels, or nothing without that format."""
    if "saved_model" in formats:
        return reload_process.SavedModelReloader()
    return contextlib.nullcontext()


def _generate_reference(training_model, graph_name):
    """The training model's `generate` on one graph: what parity holds the exports to."""
    if training_model is None:
        return None
    return functools.partial(training_model.generate, graph=graph_name)


def _open_input_shapes(training_model, graph):
    """Inputs of open height and width (CycleGAN's translators) are checked at the training
    model's `image_shape`, the size its `generate` takes; None when there are none."""
    image_shape = getattr(training_model, "image_shape", None)
    open_inputs = [t.name for t in graph.inputs if None in tuple(t.shape[1:])]
    if not open_inputs or image_shape is None:
        return None
    return {name: tuple(image_shape) for name in open_inputs}


def _write_graph(
    graph,
    folder,
    formats,
    uint8,
    opset,
    meta,
    extra_signatures=None,
    onnx_target="cpu",
    image_inputs=(),
):
    """Writes one graph's formats into `folder`; returns `{format: path}`."""
    paths = {}
    if "saved_model" in formats:
        saved_meta = dict(meta)
        if extra_signatures:
            saved_meta["extra_signatures"] = ",".join(extra_signatures)
        saved_model.save_saved_model(
            graph,
            folder,
            uint8=uint8,
            metadata=saved_meta,
            extra_signatures=extra_signatures,
            image_inputs=image_inputs,
        )
        paths["saved_model"] = folder
    else:
        os.makedirs(folder)
    if "onnx" in formats:
        paths["onnx"] = os.path.join(folder, ONNX_FILE)
        onnx_export.save_onnx(
            graph, paths["onnx"], uint8=uint8, opset=opset, metadata=meta, target=onnx_target
        )
    return paths
