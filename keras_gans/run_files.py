"""The files of a run folder, and the one way every file of the library is written: atomically.

A run folder (`keras_gans.training.train`) holds:

* `config.json`: the run's `TrainConfig`; `metrics.json`: final losses and the evaluation;
* `model.keras`: the training model, and `<graph>.keras` for each inference graph;
* `checkpoints/`, `samples/` (PNG grids), `logs/` (TensorBoard) and `export/` (SavedModel, ONNX).

Every file is written under a temporary name beside its destination and renamed onto it, so a
reader (a resumed run, `keras-gans-eval`, TF Serving polling its config) sees the old file or the
new one, never half of one, and a failed write leaves nothing behind.
"""

import contextlib
import json
import os
import uuid

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
MODEL_FILE = "model.keras"
CHECKPOINTS_FOLDER = "checkpoints"
SAMPLES_FOLDER = "samples"
LOGS_FOLDER = "logs"
EXPORT_FOLDER = "export"


@contextlib.contextmanager
def replacing(path, suffix=""):
    """Yields a temporary path beside `path`; renames it onto `path` when the block succeeds.

    The temporary file is not created here, so writers that refuse an existing file work, and the
    file gets the usual permissions. Whatever the block leaves there is removed if it fails.

    Args:
        path: The destination.
        suffix: Ending the temporary name must keep (e.g. `.keras`, which Keras requires).
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    # Hidden, and unique per process and call: concurrent writers never share a temporary file.
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp{suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def write_bytes(path, data):
    """Replaces the file at `path` with `data` (bytes) atomically."""
    with replacing(path) as temporary, open(temporary, "wb") as handle:
        handle.write(data)


def write_text(path, text):
    """Replaces the file at `path` with `text` (UTF-8) atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path, payload):
    """Replaces the file at `path` with `payload` as indented, key-sorted JSON atomically."""
    write_text(path, json.dumps(payload, indent=2, sort_keys=True))


def read_json(path):
    """The JSON value in the file at `path`."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save_keras(model, path):
    """Saves `model` to the `.keras` file `path` atomically."""
    with replacing(path, suffix=".keras") as temporary:
        model.save(temporary)
