"""The built-in text encoder: caption strings to sentence embeddings, trained with the generator.

StackGAN (Zhang et al. 2017, https://arxiv.org/abs/1612.03242) conditions on precomputed
char-CNN-RNN embeddings. So that raw captions work end to end without them, this small encoder
(TextVectorization, word embeddings, a convolution, the mean over words, a projection) is trained
from scratch with the Stage-I generator; the vocabulary is fixed when it is built
(`vocabulary_from_captions`).
"""

import keras

from keras_gans.data.caption_text import (  # noqa: F401  (re-exported)
    RESERVED_TOKENS,
    check_captions,
    vocabulary_from_captions,
)


def build_text_encoder(
    vocabulary, embedding_dim=128, sequence_length=16, word_dim=32, name="text_encoder"
):
    """`captions` (string `[B]`) to `text_embedding` `[B, embedding_dim]`.

    Word embeddings, a width-3 convolution (word trigrams such as "leaning to the left"), the
    mean over the caption's words, a projection and LayerNorm. The mean keeps each word's
    contribution additive, so a digit or colour word moves every caption containing it the same
    way: the generator learns "seven" once rather than once per caption.

    Args:
        vocabulary: The words known to the encoder (others map to one out-of-vocabulary token).
        embedding_dim: Size of the sentence embedding.
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
    words = keras.layers.Embedding(len(vocabulary) + RESERVED_TOKENS, word_dim, name="words")(
        tokens
    )
    features = keras.layers.Conv1D(
        embedding_dim, 3, padding="same", activation="relu", name="trigrams"
    )(words)
    # Padding (token 0) is left out of the mean: a caption's length does not dilute its words.
    is_word = keras.ops.not_equal(tokens, 0)
    pooled = keras.layers.GlobalAveragePooling1D(name="mean_over_words")(features, mask=is_word)
    embedding = keras.layers.Dense(embedding_dim, name="projection")(pooled)
    # Unit-scale embeddings from the start: small ones would drown in the CA noise.
    embedding = keras.layers.LayerNormalization(epsilon=1e-6, name="text_embedding")(embedding)
    return keras.Model(captions, embedding, name=name)


def encoder_embedding_dim(text_encoder):
    """The size of the sentence embeddings `text_encoder` returns."""
    return int(text_encoder.outputs[0].shape[-1])
