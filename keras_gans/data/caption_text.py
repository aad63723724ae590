"""Caption strings: what counts as a caption, and the vocabulary the text encoder is built with.

Used by the caption datasets and by StackGAN's text encoder and `sample(captions=...)` alike, so
training data and inference refuse the same captions.
"""

import re

import numpy as np
import tensorflow as tf

_WORD = re.compile(r"\w")
# TextVectorization reserves index 0 for padding and 1 for out-of-vocabulary words.
RESERVED_TOKENS = 2


def has_word(caption):
    """Whether the string `caption` holds at least one word character."""
    return bool(_WORD.search(caption))


def check_captions(captions):
    """Returns `captions` as a 1-D numpy array of str, or raises a ValueError.

    Every caption must be a string with at least one word character: an empty caption would be
    encoded as an all-padding sequence, an embedding of zeros that describes nothing.

    Args:
        captions: One caption, or a list, 1-D numpy array or 1-D tf.string tensor of captions.

    Returns:
        A 1-D object array of str.

    Raises:
        ValueError: If `captions` is not a non-empty 1-D collection of strings (numbers or
            embeddings passed as captions, say), or a caption has no word.
    """
    if isinstance(captions, tf.Tensor):
        # Iterating a tensor would yield scalar tensors, not strings.
        captions = captions.numpy()
    if isinstance(captions, (str, bytes)) or np.ndim(captions) == 0:
        captions = [captions]
    array = np.asarray(list(captions), dtype=object)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"captions must be a non-empty list of strings; received shape {array.shape}."
        )
    decoded = []
    for index, caption in enumerate(array):
        if isinstance(caption, bytes):
            caption = caption.decode("utf-8")
        if not isinstance(caption, str):
            raise ValueError(
                f"captions must be strings; received {type(caption).__name__} at index {index} "
                "(precomputed embeddings go to `text_embedding`)."
            )
        if not has_word(caption):
            raise ValueError(
                f"captions must each contain at least one word; received {caption!r} at index "
                f"{index}."
            )
        decoded.append(caption)
    return np.array(decoded, dtype=object)


def vocabulary_from_captions(captions, max_tokens=None):
    """The words of `captions`, most frequent first, as TextVectorization splits them.

    Args:
        captions: An iterable of caption strings.
        max_tokens: Keep at most this many words (None: all).

    Returns:
        A list of words (padding and out-of-vocabulary tokens excluded).
    """
    import keras  # Imported here: the other data sources do not need Keras.

    captions = check_captions(captions)
    layer = keras.layers.TextVectorization(
        max_tokens=None if max_tokens is None else max_tokens + RESERVED_TOKENS
    )
    layer.adapt(tf.constant(captions.astype(str)))
    return list(layer.get_vocabulary()[RESERVED_TOKENS:])
