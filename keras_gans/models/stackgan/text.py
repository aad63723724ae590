"""The built-in text encoder: caption strings to sentence embeddings, trained with the generator.

StackGAN (Zhang et al. 2017, https://arxiv.org/abs/1612.03242) conditions on precomputed
char-CNN-RNN embeddings. So that raw captions work end to end without them, this small encoder
(TextVectorization, word embedding, GRU, linear projection) is trained from scratch with the
Stage-I generator; the vocabulary is fixed when it is built (`vocabulary_from_captions`).
"""

import re

import keras
import numpy as np
import tensorflow as tf

# TextVectorization reserves index 0 for padding and 1 for out-of-vocabulary words.
RESERVED_TOKENS = 2
_WORD = re.compile(r"\w")


def check_captions(captions):
    """Returns `captions` as a 1-D numpy array of str, or raises a ValueError.

    Every caption must be a string with at least one word character: an empty caption would be
    encoded as an all-padding sequence, an embedding of zeros that describes nothing.
    """
    if isinstance(captions, str):
        captions = [captions]
    array = np.asarray(captions, dtype=object)
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
                f"captions must be strings; received {type(caption).__name__} at index {index}."
            )
        if not _WORD.search(caption):
            raise ValueError(
                f"captions must each contain at least one word; received {caption!r} at index {index}."
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
    captions = check_captions(list(captions))
    layer = keras.layers.TextVectorization(
        max_tokens=None if max_tokens is None else max_tokens + RESERVED_TOKENS
    )
    layer.adapt(tf.constant(captions.astype(str)))
    return [word for word in layer.get_vocabulary()[RESERVED_TOKENS:]]


def build_text_encoder(
    vocabulary, embedding_dim=128, sequence_length=16, word_dim=32, name="text_encoder"
):
    """`captions` (string `[B]`) to `text_embedding` `[B, embedding_dim]`.

    Args:
        vocabulary: The words known to the encoder (others map to one out-of-vocabulary token).
        embedding_dim: Size of the sentence embedding (and of the GRU state).
        sequence_length: Captions are cut or padded to this many words.
        word_dim: Size of the word embeddings.
        name: The model's name.
    """
    vocabulary = list(vocabulary)
    if not vocabulary:
        raise ValueError("vocabulary must hold at least one word; received an empty list.")
    captions = keras.Input(shape=(), dtype="string", name="captions")
    tokens = keras.layers.TextVectorization(
        vocabulary=vocabulary, output_sequence_length=sequence_length, name="tokens"
    )(captions)
    # mask_zero: padding is skipped by the GRU, so a caption's length does not shift its code.
    words = keras.layers.Embedding(
        len(vocabulary) + RESERVED_TOKENS, word_dim, mask_zero=True, name="words"
    )(tokens)
    state = keras.layers.GRU(embedding_dim, name="gru")(words)
    embedding = keras.layers.Dense(embedding_dim, name="text_embedding")(state)
    return keras.Model(captions, embedding, name=name)


def encoder_embedding_dim(text_encoder):
    """The size of the sentence embeddings `text_encoder` returns."""
    return int(text_encoder.outputs[0].shape[-1])
