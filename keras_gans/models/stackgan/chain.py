"""The deployable StackGAN graphs: text embedding (or caption) and noise to the final image.

One `noise` input carries every random draw of the chain, standard normal, in this order:
Stage-I z, Stage-I Conditioning Augmentation eps, then (Stage II) its own eps. The graphs are
therefore deterministic functions of their inputs, which keeps SavedModel/ONNX parity exact and
lets a caller fix or vary the conditions (Zhang et al. 2017 sample them at test time too).
"""

import keras


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
        return [keras.KerasTensor((inputs.shape[0], size), dtype=inputs.dtype) for size in self.sizes]

    def get_config(self):
        config = super().get_config()
        config["sizes"] = list(self.sizes)
        return config


def _output(images):
    # The serving API names the output `images`, whichever network produced it.
    return keras.layers.Identity(name="images")(images)


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
    noise1, eps = SplitFeatures(
        [stage1_noise_dim, conditioning.condition_dim], name="split_noise"
    )(noise)
    low_res = stage1_chain([text_embedding, noise1])
    condition, _, _ = conditioning(text_embedding, eps)
    images = generator([low_res, condition])
    return keras.Model([text_embedding, noise], _output(images), name=name)


def build_caption_chain(text_encoder, chain, name="caption_chain"):
    """`[captions (string), noise]` to images: the text encoder in front of `chain`."""
    captions = keras.Input(shape=(), dtype="string", name="captions")
    noise = keras.Input(shape=(int(chain.inputs[1].shape[-1]),), name="noise")
    images = chain([text_encoder(captions), noise])
    return keras.Model([captions, noise], _output(images), name=name)
