"""Export layer: every inference graph to a TF Serving SavedModel and to ONNX, with parity checks.

Example:
    >>> from keras_gans import export
    >>> result = export.export_model(gan, "export/")     # SavedModel + ONNX, verified
    >>> runner = export.OnnxRunner(result.paths["generator"]["onnx"])
    >>> images = runner.run({"noise": noise})["images"]
"""

from keras_gans.export.exporter import ExportResult, export_model
from keras_gans.export.grid import encode_png, make_grid, write_png
from keras_gans.export.inputs import InputSpec, check_inputs
from keras_gans.export.onnx_export import save_onnx
from keras_gans.export.run_dir import export_run, load_training_model
from keras_gans.export.runner import OnnxRunner
from keras_gans.export.sampler import load_generator, sample_grid
from keras_gans.export.saved_model import save_saved_model
from keras_gans.export.serving_config import models_config_text
from keras_gans.export.parity import ParityError, ParityReport, verify

__all__ = [
    "ExportResult",
    "InputSpec",
    "OnnxRunner",
    "ParityError",
    "ParityReport",
    "check_inputs",
    "encode_png",
    "export_model",
    "export_run",
    "load_generator",
    "load_training_model",
    "make_grid",
    "models_config_text",
    "sample_grid",
    "save_onnx",
    "save_saved_model",
    "verify",
    "write_png",
]
