"""A StackGAN SavedModel that also takes caption strings.

`keras_gans.export.export_model` (and so `keras-gans-train` and `keras-gans-export`) writes the
StackGAN graph `generator` with two signatures when the model has its built-in text encoder
(`StackGAN.saved_model_signatures`); its ONNX file takes text embeddings only, as ONNX has no
string tensors:

* `serving_default`: `text_embedding` float32 `[batch, E]`, `noise` float32 `[batch, N]`;
* `captions`: `captions` string `[batch]`, `noise` float32 `[batch, N]`;

each returning `{"images": [batch, H, W, C]}` (float32 in [-1, 1], or uint8). Captions are
tokenised inside the graph; unknown words map to the out-of-vocabulary token. A caption without a
word (`""`, `"!!"`) fails the call with `InvalidArgumentError: captions must each contain at least
one word; received ...` (`chain.RequireWords`), the rule
`keras_gans.data.caption_text.check_captions` applies outside graphs.

`save_caption_saved_model` writes that same SavedModel alone, without ONNX or parity checks. It
lives in the export layer, which the core never imports; the caption graph itself is the model's
(`StackGAN.saved_model_signatures`, built from `keras_gans.models.stackgan.chain`).
"""

import os

from keras_gans.export import metadata as metadata_lib
from keras_gans.export import saved_model as saved_model_lib
from keras_gans.models.stackgan.chain import CAPTIONS_SIGNATURE  # noqa: F401  (re-exported)

EMBEDDING_SIGNATURE = saved_model_lib.SIGNATURE_KEY


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
    if model.text_encoder is None:
        raise ValueError(
            "The caption signature needs the built-in text encoder; this StackGAN takes "
            "precomputed embeddings. Export it with keras_gans.export.export_model."
        )
    if os.path.exists(path):
        raise ValueError(f"{path} already exists; a SavedModel is never written over another.")
    graphs = model.inference_models()
    extra = model.saved_model_signatures(graphs)["generator"]
    metadata = metadata_lib.graph_metadata(model, "caption_generator", uint8)
    metadata["noise_dim"] = str(model.noise_dim)
    metadata["extra_signatures"] = ",".join(extra)
    saved_model_lib.save_saved_model(
        graphs["generator"], path, uint8=uint8, metadata=metadata, extra_signatures=extra
    )
    return path
