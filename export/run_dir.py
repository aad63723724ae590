"""Export the model a training run saved: `<run_dir>/model.keras` to `<run_dir>/export/`."""

import os

import keras

from keras_gans.export import exporter
from keras_gans.run_files import EXPORT_FOLDER, MODEL_FILE


def load_training_model(path):
    """Loads a saved training model (importing `keras_gans` registered the model classes).

    Raises:
        ValueError: If `path` does not exist or holds no model with `inference_models()`.
    """
    if not os.path.isfile(path):
        raise ValueError(f"No saved model at {path}; expected a .keras file written by training.")
    # Compiled as saved: training state such as EMA generator weights is restored with it.
    model = keras.saving.load_model(path)
    if not hasattr(model, "inference_models"):
        raise ValueError(
            f"{path} holds a {type(model).__name__}, not a keras-gans training model with "
            "inference_models()."
        )
    return model


def export_run(run_dir, formats=("saved_model", "onnx"), uint8=False, version=None, **kwargs):
    """Exports the trained model of a training run folder.

    Args:
        run_dir: The run folder; its `model.keras` is exported to `<run_dir>/export/`.
        formats: Any of `saved_model`, `onnx`.
        uint8: Return uint8 images in [0, 255] instead of float32 in [-1, 1].
        version: The version to write; None for the next free one.
        **kwargs: Passed to `export_model` (`batch_sizes`, `opset`, `serving_base_path`).

    Returns:
        The `ExportResult`.
    """
    if not os.path.isdir(run_dir):
        raise ValueError(f"run_dir {run_dir} is not a folder.")
    model = load_training_model(os.path.join(run_dir, MODEL_FILE))
    return exporter.export_model(
        model,
        os.path.join(run_dir, EXPORT_FOLDER),
        formats=formats,
        uint8=uint8,
        version=version,
        **kwargs,
    )
