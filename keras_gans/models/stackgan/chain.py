"""The deployable StackGAN graphs: text embedding (or caption) and noise to the final image.

One `noise` input carries every random draw of the chain, standard normal, in this order:
Stage-I z, Stage-I Conditioning Augmentation eps, then (Stage II) its own eps. The graphs are
therefore deterministic functions of their inputs, which keeps SavedModel/ONNX parity exact and
lets a caller fix or vary the conditions (Zhang et al. 2017 sample them at test time too).
"""

import keras
import tensorflow as tf

#: The SavedModel signature that takes caption strings (beside `serving_default`).
CAPTIONS_SIGNATURE = "captions"


@keras.saving.register_keras_serializable(package="keras_gans")
class SplitFeatures(keras.layers.Layer):
    """Splits `[B, sum(sizes)]` into consecutive `[B, size]` pieces.

    Args:
        sizes: The sizes of the pieces, in order.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, sizes, **kwargs):
        super().__init__(**kwargs)
        self.sizes = [int(size) for size in sizes]

    def call(self, inputs):
        pieces, start = [], 0
        for size in self.sizes:
            pieces.append(inputs[:, start : start + size])
            start += size
        return pieces

    def compute_output_spec(self, inputs):
        return [
            keras.KerasTensor((inputs.shape[0], size), dtype=inputs.dtype) for size in self.sizes
        ]

    def get_config(self):
        config = super().get_config()
        config["sizes"] = list(self.sizes)
        return config


def _output(images):
    # The serving API names the output `images`, whichever network produced it; float32 under
    # any policy (an Identity of a mixed policy would cast the float32 pixels down).
    return keras.layers.Identity(name="images", dtype="float32")(images)


def build_stage1_chain(conditioning, generator, embedding_dim, name="stage1_chain"):
    """`[text_embedding, noise]` to Stage-I images, through Conditioning Augmentation.

    `noise` is `[B, latent_dim + condition_dim]`: z, then the condition's eps.
    """
    latent_dim = int(generator.inputs[0].shape[-1])
    text_embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    noise = keras.Input(shape=(latent_dim + conditioning.condition_dim,), name="noise")
    z, eps = SplitFeatures([latent_dim, conditioning.condition_dim], name="split_noise")(noise)
    condition, _, _ = conditioning(text_embedding, eps)
    images = generator([z, condition])
    return keras.Model([text_embedding, noise], _output(images), name=name)


def build_stage2_chain(stage1_chain, conditioning, generator, name="stage2_chain"):
    """`[text_embedding, noise]` to Stage-II images through the Stage-I chain.

    `noise` is the Stage-I chain's noise followed by Stage II's condition eps.
    """
    embedding_dim = int(stage1_chain.inputs[0].shape[-1])
    stage1_noise_dim = int(stage1_chain.inputs[1].shape[-1])
    text_embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    noise = keras.Input(shape=(stage1_noise_dim + conditioning.condition_dim,), name="noise")
    noise1, eps = SplitFeatures([stage1_noise_dim, conditioning.condition_dim], name="split_noise")(
        noise
    )
    low_res = stage1_chain([text_embedding, noise1])
    condition, _, _ = conditioning(text_embedding, eps)
    images = generator([low_res, condition])
    return keras.Model([text_embedding, noise], _output(images), name=name)


@keras.saving.register_keras_serializable(package="keras_gans")
class RequireWords(keras.layers.Layer):
    """Passes `images` through when every caption has a word; fails the call otherwise.

    An empty caption (or one of punctuation only) tokenises to padding alone and would yield the
    image of "no text" without complaint. Inside a serving graph a Python `ValueError` is
    impossible, so this in-graph assertion raises `tf.errors.InvalidArgumentError` naming the
    captions, the same rule as `keras_gans.data.caption_text.check_captions` outside graphs.

    Call with `[captions (string [B]), tokens (int [B, L], 0 = padding), images]`.
    """

    def call(self, inputs):
        captions, tokens, images = inputs
        has_word = tf.reduce_any(tf.not_equal(tokens, 0), axis=-1)
        bad = tf.reshape(tf.where(~has_word), [-1])
        # E.g. `<> at index 1, <!!> at index 2`: a graph's assertion escapes quotes, not brackets.
        received = tf.strings.reduce_join(
            tf.strings.join(
                ["<", tf.gather(captions, bad), "> at index ", tf.strings.as_string(bad)]
            ),
            separator=", ",
        )
        check = tf.debugging.Assert(
            tf.reduce_all(has_word),
            ["captions must each contain at least one word; received", received],
            name="captions_have_words",
        )
        # The output depends on the check, so no graph can skip it.
        with tf.control_dependencies([check]):
            return tf.identity(images)

    def compute_output_spec(self, inputs):
        images = inputs[2]
        return keras.KerasTensor(images.shape, dtype=images.dtype)


def build_caption_chain(text_encoder, chain, name="caption_chain"):
    """`[captions (string), noise]` to images: the text encoder in front of `chain`.

    When the encoder tokenises with a `TextVectorization` layer (`text.build_text_encoder`'s
    does), captions without a word (e.g. `""`) make the call fail (`RequireWords`).
    """
    captions = keras.Input(shape=(), dtype="string", name="captions")
    noise = keras.Input(shape=(int(chain.inputs[1].shape[-1]),), name="noise")
    images = chain([text_encoder(captions), noise])
    tokenizers = [
        layer for layer in text_encoder.layers if isinstance(layer, keras.layers.TextVectorization)
    ]
    if len(tokenizers) == 1:
        # The encoder's own tokenizer (shared, not copied) tells which captions have a word.
        tokens = tokenizers[0](captions)
        images = RequireWords(name="require_words")([captions, tokens, images])
    return keras.Model([captions, noise], _output(images), name=name)
