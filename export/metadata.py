"""What an export records about its graph beside the weights.

ONNX keeps it in the model's `metadata_props`; a SavedModel keeps it in
`assets.extra/keras_gans_metadata.json` (TF Serving ignores that folder's other files). Runners and
the sampler read it back to check inputs, e.g. that class labels lie in `[0, num_classes)`.
"""

import json
import os

SAVED_MODEL_METADATA = os.path.join("assets.extra", "keras_gans_metadata.json")

# Attributes of a training model worth recording when it has them (duck-typed: any model may).
_MODEL_ATTRIBUTES = ("num_classes", "latent_dim")


def graph_metadata(training_model, graph_name, uint8):
    """String metadata of one exported graph.

    Args:
        training_model: The training model whose graph is exported, or None.
        graph_name: The graph's name in `inference_models()`.
        uint8: Whether the export returns uint8 images.

    Returns:
        `{key: str}` with `graph`, `output_dtype`, and when known `model_class`, `num_classes`
        (integer inputs are class ids in `[0, num_classes)`) and `latent_dim`.
    """
    metadata = {"graph": str(graph_name), "output_dtype": "uint8" if uint8 else "float32"}
    if training_model is not None:
        metadata["model_class"] = type(training_model).__name__
        for attribute in _MODEL_ATTRIBUTES:
            value = getattr(training_model, attribute, None)
            if isinstance(value, int) and not isinstance(value, bool):
                metadata[attribute] = str(value)
    return metadata


def num_classes(metadata):
    """The recorded `num_classes` as an int, or None."""
    value = (metadata or {}).get("num_classes")
    return int(value) if value is not None else None


def write_saved_model_metadata(saved_model_dir, metadata):
    """Writes `metadata` beside a SavedModel."""
    path = os.path.join(saved_model_dir, SAVED_MODEL_METADATA)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(metadata, f, indent=2, sort_keys=True)


def read_saved_model_metadata(saved_model_dir):
    """The metadata beside a SavedModel; `{}` for SavedModels not written by keras-gans."""
    path = os.path.join(saved_model_dir, SAVED_MODEL_METADATA)
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)
