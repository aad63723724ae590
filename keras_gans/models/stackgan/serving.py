"""A StackGAN SavedModel that also takes caption strings.

`keras_gans.export` writes every graph of `inference_models()` to SavedModel and ONNX; ONNX has
no string tensors, so the StackGAN graph there takes text embeddings. This module writes the
SavedModel with both signatures when the model has its built-in text encoder:

* `serving_default`: `text_embedding` float32 `[batch, E]`, `noise` float32 `[batch, N]`;
* `captions`: `captions` string `[batch]`, `noise` float32 `[batch, N]`;

each returning `{"images": [batch, H, W, C]}` (float32 in [-1, 1], or uint8). Captions are
tokenised inside the graph; unknown words map to the out-of-vocabulary token. An empty caption
cannot be refused inside a serving graph (it yields the image of an all-padding caption): check
captions before serving them (`keras_gans.data.captions.check_captions`).
"""

import os

import tensorflow as tf

from keras_gans.export import metadata as metadata_lib
from keras_gans.export import signatures

CAPTIONS_SIGNATURE = "captions"
EMBEDDING_SIGNATURE = "serving_default"


def save_caption_saved_model(model, path, uint8=False):
    """Writes `model`'s final-image chain as a SavedModel with embedding and caption signatures.

    Args:
        model: A `StackGAN` (stage 1 or 2) with the built-in text encoder.
        path: The folder to create (e.g. `<export_dir>/caption_generator/1`); must not exist.
        uint8: Return uint8 images in [0, 255] instead of float32 in [-1, 1].

    Returns:
        `path`.

    Raises:
        ValueError: If the model has no text encoder or `path` exists.
    """
    graphs = model.caption_models()
    if not graphs:
        raise ValueError(
            "The caption signature needs the built-in text encoder; this StackGAN takes "
            "precomputed embeddings. Export it with keras_gans.export.export_model."
        )
    if os.path.exists(path):
        raise ValueError(f"{path} already exists; a SavedModel is never written over another.")
    caption_graph = graphs["caption_generator"]
    embedding_graph = model.inference_models()["generator"]
    module = tf.Module()
    # The Keras graphs are tracked so that the caption vocabulary (a lookup table) is saved.
    module.caption_graph = caption_graph
    module.embedding_graph = embedding_graph
    module.from_embeddings = signatures.serving_function(embedding_graph, uint8=uint8)
    module.from_captions = signatures.serving_function(caption_graph, uint8=uint8)
    tf.saved_model.save(
        module,
        path,
        signatures={
            EMBEDDING_SIGNATURE: module.from_embeddings.get_concrete_function(),
            CAPTIONS_SIGNATURE: module.from_captions.get_concrete_function(),
        },
    )
    metadata = metadata_lib.graph_metadata(model, "caption_generator", uint8)
    metadata["noise_dim"] = str(model.noise_dim)
    metadata_lib.write_saved_model_metadata(path, metadata)
    return path
