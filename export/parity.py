"""Parity of an export with its Keras model: same random inputs, max abs difference per format.

The SavedModel is reloaded in a fresh Python process that imports only TensorFlow and numpy, which
is what TF Serving's situation is: no Keras, no keras-gans classes. ONNX runs in ONNX Runtime on the
CPU. Everything is compared on the CPU, where float32 results do not depend on TF32 or GPU kernels.
"""

import dataclasses
from typing import Optional

import numpy as np
import tensorflow as tf

from keras_gans.export import inputs as inputs_lib
from keras_gans.export import providers, reload_process, signatures

FORMATS = ("saved_model", "onnx")
TOLERANCES = {"saved_model": 1e-5, "onnx": 1e-4}
# uint8 exports round to grey levels; float differences far below 1e-4 can still flip one level.
UINT8_TOLERANCE = 1.0


class ParityError(RuntimeError):
    """An export's outputs differ from its Keras model's by more than the tolerance."""


@dataclasses.dataclass(frozen=True)
class ParityReport:
    """The parity of one format at one batch size.

    Attributes:
        format: `saved_model` or `onnx`.
        batch_size: The batch the inputs had.
        max_abs_diff: Max abs difference over every output element.
        tolerance: The largest difference allowed.
        path: The export checked.
        input_shape: `{input_name: shape}` of the open-size inputs it was fed, if any.
    """

    format: str
    batch_size: int
    max_abs_diff: float
    tolerance: float
    path: str
    input_shape: Optional[dict] = None

    @property
    def passed(self):
        return self.max_abs_diff <= self.tolerance

    def __str__(self):
        verdict = "ok" if self.passed else "FAILED"
        shape = f" at {self.input_shape}" if self.input_shape else ""
        return (
            f"{self.format} batch {self.batch_size}{shape}: max abs diff {self.max_abs_diff:.3g} "
            f"(tolerance {self.tolerance:g}) {verdict} [{self.path}]"
        )


def reload_saved_model_outputs(saved_model_dir, feeds, signature="serving_default", reloader=None):
    """Runs one signature of a SavedModel in a fresh process (`reload_process`).

    Args:
        saved_model_dir: The SavedModel folder.
        feeds: `{batch_key: {input_name: np.ndarray}}` (string inputs as numpy `str` arrays).
        signature: The signature key, e.g. `serving_default` or StackGAN's `captions`.
        reloader: A started `reload_process.SavedModelReloader` to run it in; default a new one.

    Returns:
        `{batch_key: {output_name: np.ndarray}}`.

    Raises:
        ParityError: If the fresh process fails to load or run it.
    """
    try:
        if reloader is not None:
            return reloader.run(saved_model_dir, feeds, signature)
        with reload_process.SavedModelReloader() as own:
            return own.run(saved_model_dir, feeds, signature)
    except reload_process.ReloadError as error:
        raise ParityError(str(error)) from error


def _onnx_outputs(path, feeds):
    session, _ = providers.create_session(str(path), device="cpu")
    names = [output.name for output in session.get_outputs()]
    return {b: dict(zip(names, session.run(names, feed))) for b, feed in feeds.items()}


def _to_uint8(images):
    """`signatures.to_uint8` in numpy: float images in [-1, 1] to rounded, clipped uint8."""
    scaled = np.round((np.asarray(images, np.float32) + np.float32(1.0)) * np.float32(127.5))
    return np.clip(scaled, 0.0, 255.0).astype(np.uint8)


def _max_abs_diff(reference, outputs):
    if set(reference) != set(outputs):
        raise ParityError(
            f"The export's outputs {sorted(outputs)} differ from the model's {sorted(reference)}."
        )
    return max(
        float(
            np.max(
                np.abs(np.asarray(outputs[n], np.float64) - np.asarray(reference[n], np.float64))
            )
        )
        for n in reference
    )


def verify(
    model,
    export_paths,
    batch_sizes=(1, 7),
    seed=0,
    num_classes=None,
    uint8=False,
    tolerances=None,
    reference=None,
    input_shapes=None,
    reloader=None,
):
    """Checks that every export computes what `model` computes.

    Args:
        model: The functional `keras.Model` that was exported.
        export_paths: `{"saved_model": folder, "onnx": file}`, either or both.
        batch_sizes: Batch sizes to try (the batch axis is dynamic).
        seed: Seed of the random inputs.
        num_classes: Class count of integer (label) inputs; labels are all 0 when None.
        uint8: The exports return uint8 images; the reference is converted the same way.
        tolerances: `{format: max abs diff}`; default `TOLERANCES` (`UINT8_TOLERANCE` for uint8).
        reference: What the exports must reproduce, `fn({input_name: array}) -> {output_name:
            float array}`: `export_model` passes the training model's `generate` for the graph,
            so parity holds between the exports and what users call. Default: `model` itself.
        input_shapes: `{input_name: shape without the batch axis}` for inputs of open size
            (CycleGAN's translators take any height and width; see `inputs.random_inputs`), or
            a list of such dicts to try each (one fresh process still serves them all).
        reloader: The started `reload_process.SavedModelReloader` that runs the SavedModel;
            default a new one.

    Returns:
        A list of `ParityReport`, one per format, batch size and input shape.

    Raises:
        ValueError: On an unknown format.
        ParityError: If any difference exceeds its tolerance (the message lists every report).
    """
    unknown = sorted(set(export_paths) - set(FORMATS))
    if unknown:
        raise ValueError(f"Unknown export format {unknown[0]!r}; expected one of {FORMATS}.")
    defaults = dict.fromkeys(FORMATS, UINT8_TOLERANCE) if uint8 else TOLERANCES
    tolerances = {**defaults, **(tolerances or {})}
    specs = inputs_lib.specs_from_tensor_specs(signatures.input_specs(model), num_classes)
    names = signatures.output_names(model)
    shape_list = input_shapes if isinstance(input_shapes, (list, tuple)) else [input_shapes]
    cases = {
        f"b{batch_size}s{i}": (batch_size, shapes)
        for i, shapes in enumerate(shape_list)
        for batch_size in batch_sizes
    }
    feeds, references = {}, {}
    for key, (batch_size, shapes) in cases.items():
        feeds[key] = inputs_lib.random_inputs(
            specs, batch_size, seed=seed + batch_size, shapes=shapes
        )
        with tf.device("/cpu:0"):
            if reference is None:
                outputs = signatures.serving_function(model, uint8=uint8)(*feeds[key].values())
                references[key] = {n: outputs[n].numpy() for n in names}
            else:
                outputs = reference(feeds[key])
                references[key] = {n: _to_uint8(outputs[n]) if uint8 else outputs[n] for n in names}
    reports = []
    for fmt, path in export_paths.items():
        if fmt == "saved_model":
            results = reload_saved_model_outputs(path, feeds, reloader=reloader)
        else:
            results = _onnx_outputs(path, feeds)
        for key, (batch_size, shapes) in cases.items():
            diff = _max_abs_diff(references[key], results[key])
            reports.append(ParityReport(fmt, batch_size, diff, tolerances[fmt], str(path), shapes))
    failed = [r for r in reports if not r.passed]
    if failed:
        raise ParityError("Export parity check failed:\n" + "\n".join(str(r) for r in reports))
    return reports
