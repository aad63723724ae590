"""Export layer: every inference graph to a TF Serving SavedModel and to ONNX, with parity checks.

Names are imported on first use, so a deployment box with only onnxruntime and numpy can run
`from keras_gans.export import OnnxRunner` without TensorFlow.

Example::

    from keras_gans import export
    result = export.export_model(gan, "export/")  # SavedModel + ONNX, verified
    runner = export.OnnxRunner(result.paths["generator"]["onnx"])
    images = runner.run({"noise": noise})["images"]
"""

import importlib

_WHERE = {
    "ExportResult": "exporter",
    "export_model": "exporter",
    "encode_png": "keras_gans.images",
    "make_grid": "keras_gans.images",
    "write_png": "keras_gans.images",
    "InputSpec": "inputs",
    "check_inputs": "inputs",
    "save_onnx": "onnx_export",
    "export_run": "run_dir",
    "load_training_model": "run_dir",
    "OnnxRunner": "runner",
    "load_generator": "sampler",
    "sample_grid": "sampler",
    "save_saved_model": "saved_model",
    "models_config_text": "serving_config",
    "ParityError": "parity",
    "ParityReport": "parity",
    "verify": "parity",
    "translate_files": "translate",
    "TranslateConfig": "translate",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _WHERE[name]
    # A bare name is a module of this package; a dotted one lives in the core (grids and PNGs).
    value = getattr(
        importlib.import_module(module if "." in module else f"{__name__}.{module}"), name
    )
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
