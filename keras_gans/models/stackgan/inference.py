"""StackGAN's inference side: its deployable graphs, `generate`'s checks and `sample`.

The graphs (`chain`, `caption_chain`) are Keras models built from the trained networks
(`chain.py`); the export layer writes what `inference_models` and `saved_model_signatures` return
and knows nothing of StackGAN, so nothing here imports it.
"""

import numpy as np
import tensorflow as tf

from keras_gans import inference
from keras_gans.models.stackgan import batches
from keras_gans.models.stackgan import chain as chain_lib
from keras_gans.models.stackgan import text as text_lib


class StackGANInference:
    """The inference methods of `StackGAN` (a mixin: it reads the model's networks and sizes)."""

    def chain(self):
        """`[text_embedding, noise] -> images` of this stage (Stage II: through Stage I)."""
        if self.stage == 1:
            return chain_lib.build_stage1_chain(
                self.conditioning, self.generator, self.embedding_dim
            )
        return chain_lib.build_stage2_chain(self.stage1, self.conditioning, self.generator)

    def caption_chain(self):
        """`[captions, noise] -> images`; needs the built-in text encoder."""
        if self.text_encoder is None:
            raise ValueError(
                "This StackGAN takes precomputed embeddings and has no text encoder; it has no "
                "caption graph. Build it with a vocabulary to generate from captions."
            )
        return chain_lib.build_caption_chain(self.text_encoder, self.chain())

    def inference_models(self):
        """`{"generator": [text_embedding, noise] -> images}` (float32, EMA weights if any).

        The caption graph (string input) is the SavedModel's `captions` signature
        (`saved_model_signatures`): ONNX has no string tensors.
        """
        return {"generator": self.deployable(self.chain())}

    def saved_model_signatures(self, graphs):
        """`{"generator": {"captions": [captions, noise] -> images}}` with the text encoder.

        The caption graph is the (deployable) text encoder in front of `graphs["generator"]`
        itself, so the SavedModel stores the generator's weights once and both signatures give
        the same images for a caption and its embedding.

        Args:
            graphs: What `inference_models()` returned.

        Returns:
            The extra signature, or `{}` for a StackGAN that takes precomputed embeddings.
        """
        if self.text_encoder is None or "generator" not in graphs:
            return {}
        encoder = self.deployable(self.text_encoder)
        caption_graph = chain_lib.build_caption_chain(encoder, graphs["generator"])
        return {"generator": {chain_lib.CAPTIONS_SIGNATURE: caption_graph}}

    def caption_models(self):
        """`{"caption_generator": [captions, noise] -> images}` when the text encoder exists."""
        if self.text_encoder is None:
            return {}
        return {"caption_generator": self.deployable(self.caption_chain())}

    def call(self, inputs, training=False):
        return self.chain()(inputs, training=training)

    def generation_graphs(self):
        """`generator` (`[text_embedding, noise]`) and, with the text encoder, `caption_generator`
        (`[captions, noise]`): `generate` picks the one whose inputs it is given."""
        return {**self.inference_models(), **self.caption_models()}

    def sample_noise(self, num_images, seed=0):
        """`[num_images, noise_dim]` noise (z and every eps): what `generate(seed=seed)` draws."""
        spec = inference.InputSpec("noise", "float32", (None, self.noise_dim))
        return inference.draw_noise(spec, inference.check_num_images(num_images), seed)

    def encode(self, captions):
        """`[N, embedding_dim]` embeddings of caption strings (non-empty).

        Made by the deployable encoder (EMA weights if any), so that
        `sample(text_embedding=encode(c))` gives `sample(captions=c)`.
        """
        captions = text_lib.check_captions(captions)
        if self.text_encoder is None:
            self.caption_chain()  # raises the no-encoder error
        encoder = self.deployable(self.text_encoder)
        return np.asarray(encoder(tf.constant(captions.astype(str)), training=False))

    def sample(self, captions=None, text_embedding=None, noise=None, seed=0):
        """Generates images for captions or embeddings, one per row: `generate`'s `images`.

        Args:
            captions: Caption strings (needs the text encoder); or
            text_embedding: `[N, embedding_dim]` float32 embeddings.
            noise: Optional `[N, noise_dim]` standard normal noise; default drawn from `seed`.
            seed: Seed of the noise.

        Returns:
            `[N, H, W, C]` float32 images in [-1, 1].
        """
        if (captions is None) == (text_embedding is None):
            raise ValueError("Pass exactly one of captions and text_embedding.")
        inputs = {"captions": captions, "text_embedding": text_embedding, "noise": noise}
        inputs = {name: value for name, value in inputs.items() if value is not None}
        return self.generate(inputs, seed=seed)["images"]

    def check_generate_inputs(self, inputs):
        """Captions need the encoder and a word each; embeddings and noise their sizes."""
        count = None
        if "captions" in inputs:
            inputs["captions"] = text_lib.check_captions(inputs["captions"]).astype(str)
            if self.text_encoder is None:
                self.caption_chain()  # raises the no-encoder error
            count = len(inputs["captions"])
        if "text_embedding" in inputs:
            embeddings = batches.check_embeddings(inputs["text_embedding"], self.embedding_dim)
            inputs["text_embedding"] = embeddings.numpy()
            count = len(inputs["text_embedding"]) if count is None else count
        if "noise" in inputs:
            inputs["noise"] = self.check_noise(inputs["noise"], count)
        return inputs

    def check_noise(self, noise, count=None):
        noise = np.asarray(noise, dtype=np.float32)
        if noise.ndim != 2 or noise.shape[1] != self.noise_dim or count not in (None, len(noise)):
            raise ValueError(
                f"noise must have shape [{count or 'batch'}, {self.noise_dim}] (z and every "
                f"condition eps, one row per text); received {noise.shape}."
            )
        return noise

    def preview(self, seed, per_caption=8):
        """One row per preview caption (random embeddings without a text encoder)."""
        if self.text_encoder is not None:
            captions = self.preview_captions or ["a"]
            captions = [c for c in captions for _ in range(per_caption)]
            return self.generate({"captions": captions}, seed=seed)["images"], per_caption
        embeddings = tf.random.stateless_normal([8, self.embedding_dim], seed=[seed, 1]).numpy()
        embeddings = np.repeat(embeddings, per_caption, axis=0)
        return self.generate({"text_embedding": embeddings}, seed=seed)["images"], per_caption
