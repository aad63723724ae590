"""The `models.config` (a `ModelServerConfig` text proto) that points TF Serving at every graph."""

import os

from keras_gans import run_files
from keras_gans.export import atomic

MODELS_CONFIG = "models.config"


def models_config_text(names, base_path="/models"):
    """A `model_config_list` serving each of `names` from `<base_path>/<name>`.

    Args:
        names: Model names; each is a folder of numeric versions under the export folder.
        base_path: Where the export folder is mounted in the server's container.

    Returns:
        The text proto for `tensorflow_model_server --model_config_file`.
    """
    entries = "".join(
        "  config {\n"
        f'    name: "{name}"\n'
        f'    base_path: "{base_path.rstrip("/")}/{name}"\n'
        '    model_platform: "tensorflow"\n'
        "  }\n"
        for name in sorted(names)
    )
    return "model_config_list {\n" + entries + "}\n"


def served_names(export_dir):
    """Names under `export_dir` that hold at least one SavedModel version."""
    names = []
    for name in sorted(os.listdir(export_dir)):
        model_dir = os.path.join(export_dir, name)
        if any(
            os.path.exists(os.path.join(model_dir, str(v), "saved_model.pb"))
            for v in atomic.existing_versions(model_dir)
        ):
            names.append(name)
    return names


def write_models_config(export_dir, base_path="/models"):
    """(Re)writes `<export_dir>/models.config` for every served model there; returns its path."""
    path = os.path.join(export_dir, MODELS_CONFIG)
    run_files.write_text(path, models_config_text(served_names(export_dir), base_path))
    return path
