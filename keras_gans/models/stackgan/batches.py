"""A StackGAN training batch: images with caption strings or with precomputed text embeddings."""

import tensorflow as tf

from keras_gans.models import validation
from keras_gans.models.stackgan import matching

_TEXT_KEYS = ("captions", "embeddings", "text_embedding")


def parse_batch(data, image_shape, embedding_dim, has_text_encoder):
    """The checked batch dict of one training step.

    Args:
        data: `{"images", "captions"|"embeddings"}` or an `(images, texts)` tuple.
        image_shape: The `(H, W, C)` the stage trains at.
        embedding_dim: Size of the text embeddings.
        has_text_encoder: Whether the model encodes captions itself (then texts are strings).

    Returns:
        `{"images", "captions", "keys"}` (with an encoder) or `{"images", "embeddings", "keys"}`;
        `keys` tells which texts are the same (`matching.mismatched_texts`).

    Raises:
        ValueError: On a batch of another form, or texts of the kind the model does not take.
    """
    images, texts, key = _unpack(data)
    batch = {"images": validation.check_images(images, image_shape)}
    texts = _to_tensor(texts, f"the batch's {key!r}" if key else "texts")
    if has_text_encoder:
        if texts.dtype != tf.string:
            raise ValueError(
                "This StackGAN encodes captions itself: feed {'images': ..., 'captions': "
                f"strings}}; received text of dtype {texts.dtype.name}."
            )
        if key not in (None, "captions"):
            raise ValueError(
                f"A StackGAN batch's {key!r} holds float embeddings; received caption strings "
                "(put them under 'captions')."
            )
        captions = tf.reshape(texts, [-1])
        batch.update(captions=captions, keys=matching.caption_keys(captions))
        return batch
    if texts.dtype == tf.string:
        raise ValueError(
            "This StackGAN has no text encoder: feed precomputed embeddings "
            f"{{'images': ..., 'embeddings': [batch, {embedding_dim}]}}, or build it with "
            "a vocabulary to train from captions; received caption strings."
        )
    if key == "captions":
        raise ValueError(
            "A StackGAN batch's 'captions' holds caption strings; received numbers of dtype "
            f"{texts.dtype.name} (precomputed embeddings go under 'embeddings')."
        )
    embeddings = check_embeddings(texts, embedding_dim)
    batch.update(embeddings=embeddings, keys=embeddings)
    return batch


def check_embeddings(embeddings, embedding_dim):
    """Returns float32 `[B, embedding_dim]` embeddings or raises a ValueError naming both sizes."""
    embeddings = _to_tensor(embeddings, "text embeddings")
    if embeddings.dtype == tf.string or not embeddings.dtype.is_floating:
        raise ValueError(
            f"text embeddings must be floats of shape [batch, {embedding_dim}]; received dtype "
            f"{embeddings.dtype.name}."
        )
    if embeddings.shape.rank != 2 or embeddings.shape[-1] != embedding_dim:
        raise ValueError(
            f"text embeddings must have shape [batch, {embedding_dim}]; received shape "
            f"{tuple(embeddings.shape)}."
        )
    return tf.cast(embeddings, tf.float32)


def _to_tensor(value, name):
    """`value` as a tensor; ragged or mixed-type lists get a ValueError naming `name`."""
    try:
        return tf.convert_to_tensor(value)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{name} must be a rectangular array (one row per example) of one type; received "
            f"{type(value).__name__} that TensorFlow cannot convert ({str(error).splitlines()[0]})."
        ) from None


def _unpack(data):
    """`(images, texts, key)` from `{"images", "captions"|"embeddings"}` or an `(images, texts)`
    tuple.

    `key` names the text entry of a dict batch (None for a tuple), so that strings under
    `embeddings` or numbers under `captions` are refused rather than read as the other kind.
    """
    if isinstance(data, dict):
        found = [key for key in _TEXT_KEYS if key in data]
        if "images" not in data or len(found) != 1:
            raise ValueError(
                "A StackGAN batch is {'images': ..., 'captions': ...} or {'images': ..., "
                f"'embeddings': ...}}; received keys {sorted(data)}."
            )
        return data["images"], data[found[0]], found[0]
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return data[0], data[1], None
    raise ValueError(
        "A StackGAN batch is a dict {'images', 'captions' or 'embeddings'} or a tuple (images, "
        f"texts); received {type(data).__name__}."
    )
