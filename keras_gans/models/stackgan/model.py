"""The StackGAN training model (Zhang et al. 2017, https://arxiv.org/abs/1612.03242)."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans import losses as losses_lib
from keras_gans.layers import ConditioningAugmentation
from keras_gans.models import validation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.stackgan import chain as chain_lib
from keras_gans.models.stackgan import matching
from keras_gans.models.stackgan import networks
from keras_gans.models.stackgan import text as text_lib

# Noise streams of one training step.
D_NOISE, G_NOISE = 0, 1
#: Stage II's resolution over Stage I's (64 -> 256 in the paper).
STAGE2_UPSCALE = 4
_TEXT_KEYS = ("captions", "embeddings", "text_embedding")


@keras.saving.register_keras_serializable(package="keras_gans")
class StackGAN(AdversarialModel):
    """One stage of StackGAN, trained with `fit` through the shared adversarial skeleton.

    `stage=1` trains the Stage-I generator (noise and a Conditioning-Augmentation condition to a
    low-resolution image) with its CA layer and, when present, the built-in text encoder.
    `stage=2` takes a trained Stage I, freezes it (its weights never change), and trains the
    Stage-II generator, which refines the Stage-I image at 4x the resolution, with its own CA.

    The discriminator is matching-aware (`keras_gans.losses.matching_aware_discriminator_loss`):
    real images with their texts are real; real images with mismatched texts
    (`matching.mismatched_texts`: another example of the global batch whose text differs) and
    generated images are fake. The generator side minimises the adversarial loss plus
    `kl_weight` times the CA's KL term (`kl_loss`).

    Text comes as caption strings (elements `{"images", "captions"}`, needs `text_encoder`) or as
    precomputed sentence embeddings (`{"images", "embeddings"}`, e.g. the paper's char-CNN-RNN).

    Args:
        generator: Stage I: inputs `[noise, condition]`; Stage II: `[low_res_images, condition]`;
            output `images`.
        discriminator: Inputs `[images, text_embedding]`, output `logits`.
        conditioning: The stage's `ConditioningAugmentation` layer.
        stage: 1 or 2.
        stage1: Stage II only: the trained Stage I, as a `StackGAN(stage=1)`, the path of its
            `.keras` file, or its chain (`[text_embedding, noise] -> images`, as saved configs
            hold it). A `StackGAN` passed in is frozen in place.
        text_encoder: Optional `captions -> text_embedding` model (`text.build_text_encoder`);
            Stage II takes Stage I's.
        kl_weight: Weight of the KL term (2.0 in the paper).
        preview_captions: Captions of the sample grid rows.
        seed: Seed of the training noise.
        **kwargs: Passed to `keras.Model`.

    Example:
        >>> stage1 = StackGAN.build(stage=1, image_size=16, channels=1, vocabulary=words)
        >>> stage1.compile(); stage1.fit(dataset16)     # {"images", "captions"}
        >>> stage2 = StackGAN.build(stage=2, stage1=stage1)
        >>> stage2.compile(); stage2.fit(dataset64)
        >>> images = stage2.sample(captions=["a thick seven"] * 4)
    """

    def __init__(
        self,
        generator,
        discriminator,
        conditioning,
        stage=1,
        stage1=None,
        text_encoder=None,
        kl_weight=2.0,
        preview_captions=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if stage not in (1, 2) or isinstance(stage, bool):
            raise ValueError(f"stage must be 1 or 2; received {stage!r}.")
        if not isinstance(conditioning, ConditioningAugmentation):
            raise ValueError(
                "conditioning must be a ConditioningAugmentation layer; received "
                f"{type(conditioning).__name__}."
            )
        self.stage = int(stage)
        self.kl_weight = float(kl_weight)
        self.generator = generator
        self.discriminator = discriminator
        self.conditioning = conditioning
        self.embedding_dim = int(discriminator.inputs[1].shape[-1])
        self.condition_dim = conditioning.condition_dim
        if not conditioning.built:
            conditioning.build((None, self.embedding_dim))
        if self.stage == 1:
            if stage1 is not None:
                raise ValueError(
                    "stage=1 trains Stage I from scratch; stage1 must be None, received "
                    f"{type(stage1).__name__}."
                )
            self.stage1 = None
            self.text_encoder = text_encoder
            self.latent_dim = int(generator.inputs[0].shape[-1])
            self.noise_dim = self.latent_dim + self.condition_dim
        else:
            self.stage1, self.text_encoder = _resolve_stage1(stage1, text_encoder)
            # Frozen: not in any optimizer, and BatchNorm keeps its moving statistics.
            self.stage1.trainable = False
            if self.text_encoder is not None:
                self.text_encoder.trainable = False
            self.noise_dim = int(self.stage1.inputs[1].shape[-1]) + self.condition_dim
        self.preview_captions = None if preview_captions is None else list(preview_captions)
        self.image_shape = tuple(int(d) for d in generator.outputs[0].shape[1:])
        self._check_shapes()
        self.built = True

    def _check_shapes(self):
        condition_in = int(self.generator.inputs[1].shape[-1])
        if condition_in != self.condition_dim:
            raise ValueError(
                f"The generator's condition input has size {condition_in}; the conditioning "
                f"layer gives {self.condition_dim}. They must match."
            )
        if self.text_encoder is not None:
            encoded = text_lib.encoder_embedding_dim(self.text_encoder)
            if encoded != self.embedding_dim:
                raise ValueError(
                    f"The text encoder gives embeddings of size {encoded}; the discriminator "
                    f"expects {self.embedding_dim}. They must match."
                )
        if self.stage == 2:
            stage1_embedding = int(self.stage1.inputs[0].shape[-1])
            if stage1_embedding != self.embedding_dim:
                raise ValueError(
                    f"Stage I takes text embeddings of size {stage1_embedding}; the Stage-II "
                    f"discriminator expects {self.embedding_dim}. They must match."
                )
            low_res = tuple(int(d) for d in self.stage1.outputs[0].shape[1:])
            expected = tuple(int(d) for d in self.generator.inputs[0].shape[1:])
            if low_res != expected:
                raise ValueError(
                    f"Stage I makes {low_res} images; the Stage-II generator expects {expected}."
                )

    @classmethod
    def build(
        cls,
        stage=1,
        image_size=None,
        channels=3,
        latent_dim=100,
        condition_dim=128,
        vocabulary=None,
        embedding_dim=None,
        base_filters=64,
        residual_blocks=4,
        stage1=None,
        sequence_length=16,
        kl_weight=2.0,
        preview_captions=None,
        seed=0,
        **kwargs,
    ):
        """The paper's networks for one stage.

        Args:
            stage: 1 or 2.
            image_size: Stage I's resolution (default 64, the paper's); Stage II trains at 4x
                it and takes it from Stage I (when given, it must match).
            channels: Image channels (Stage II takes them from Stage I).
            latent_dim: Size of Stage I's z (100 in the paper).
            condition_dim: Size of the CA condition and of D's compressed text (128).
            vocabulary: Words of the built-in text encoder; None for precomputed embeddings.
            embedding_dim: Size of the text embeddings: with `vocabulary` default
                `4 * condition_dim`; without it, required (the precomputed embeddings' size).
            base_filters: The discriminators' df (64 in the paper); generators use gf = 2 df.
            residual_blocks: Residual blocks of the Stage-II generator (4 in the paper).
            stage1: Stage II only: the trained Stage I (model or `.keras` path).
            sequence_length: Words per caption kept by the text encoder.
            kl_weight: Weight of the CA's KL term.
            preview_captions: Captions of the sample grid rows.
            seed: Seed of the training noise.
            **kwargs: Passed to `keras.Model`.

        Raises:
            ValueError: Stage II without a trained Stage I, or sizes that do not fit.
        """
        common = dict(kl_weight=kl_weight, preview_captions=preview_captions, seed=seed, **kwargs)
        if stage == 2:
            if isinstance(stage1, (str, os.PathLike)):
                stage1 = _load_stage1(stage1)
            stage1_model, text_encoder = _resolve_stage1(stage1, None)
            size, _, channels = (int(d) for d in stage1_model.outputs[0].shape[1:])
            if image_size is not None and image_size != size:
                raise ValueError(
                    f"image_size is Stage I's resolution; the Stage I given makes {size}x{size} "
                    f"images, but image_size={image_size} was requested."
                )
            embedding_dim = int(stage1_model.inputs[0].shape[-1])
            if preview_captions is None and isinstance(stage1, StackGAN):
                common["preview_captions"] = stage1.preview_captions
            return cls(
                networks.build_stage2_generator(
                    size, channels, condition_dim, 2 * base_filters, residual_blocks,
                    upscale=STAGE2_UPSCALE,
                ),
                networks.build_text_discriminator(
                    STAGE2_UPSCALE * size, channels, embedding_dim, base_filters,
                    compressed_dim=condition_dim, name="stage2_discriminator",
                ),
                ConditioningAugmentation(condition_dim, name="stage2_conditioning"),
                stage=2, stage1=stage1_model, text_encoder=text_encoder, **common,
            )
        if stage != 1:
            raise ValueError(f"stage must be 1 or 2; received {stage!r}.")
        if stage1 is not None:
            raise ValueError("stage=1 builds Stage I from scratch; stage1 must be None.")
        image_size = 64 if image_size is None else image_size
        text_encoder = None
        if vocabulary is not None:
            embedding_dim = embedding_dim or 4 * condition_dim
            text_encoder = text_lib.build_text_encoder(vocabulary, embedding_dim, sequence_length)
        elif embedding_dim is None:
            raise ValueError(
                "Without a vocabulary (captions) the model takes precomputed embeddings: pass "
                "embedding_dim, their size; received embedding_dim=None."
            )
        return cls(
            networks.build_stage1_generator(
                latent_dim, condition_dim, image_size, channels, 2 * base_filters
            ),
            networks.build_text_discriminator(
                image_size, channels, embedding_dim, base_filters, compressed_dim=condition_dim,
                name="stage1_discriminator",
            ),
            ConditioningAugmentation(condition_dim, name="stage1_conditioning"),
            stage=1, text_encoder=text_encoder, **common,
        )

    # -- The two sides ----------------------------------------------------------------------------
    def generator_variables(self):
        variables = self.generator.trainable_variables + self.conditioning.trainable_variables
        if self.stage == 1 and self.text_encoder is not None:
            variables += self.text_encoder.trainable_variables
        return variables

    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    def loss_term_names(self):
        return ("kl_loss",)

    def prepare_batch(self, data):
        images, texts, key = _unpack(data)
        batch = {"images": validation.check_images(images, self.image_shape)}
        texts = _to_tensor(texts, f"the batch's {key!r}" if key else "texts")
        if self.text_encoder is not None:
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
                f"{{'images': ..., 'embeddings': [batch, {self.embedding_dim}]}}, or build it with "
                "a vocabulary to train from captions; received caption strings."
            )
        if key == "captions":
            raise ValueError(
                "A StackGAN batch's 'captions' holds caption strings; received numbers of dtype "
                f"{texts.dtype.name} (precomputed embeddings go under 'embeddings')."
            )
        embeddings = check_embeddings(texts, self.embedding_dim)
        batch.update(embeddings=embeddings, keys=embeddings)
        return batch

    def _embed(self, batch, training):
        if "captions" in batch:
            # The encoder trains with Stage I only; Stage II keeps it frozen.
            return self.text_encoder(batch["captions"], training=training and self.stage == 1)
        return batch["embeddings"]

    def _generate(self, embeddings, noise, training):
        """Images of this stage and the (mu, log_sigma) of its condition."""
        head, eps = noise[:, : -self.condition_dim], noise[:, -self.condition_dim :]
        condition, mu, log_sigma = self.conditioning(embeddings, eps)
        if self.stage == 1:
            images = self.generator([head, condition], training=training)
        else:
            low_res = self.stage1([embeddings, head], training=False)
            images = self.generator([low_res, condition], training=training)
        return images, mu, log_sigma

    def discriminator_losses(self, batch, step):
        real = batch["images"]
        embeddings = tf.stop_gradient(self._embed(batch, training=True))
        wrong = matching.mismatched_texts(embeddings, batch["keys"])
        noise = self.normal(tf.shape(real)[0], [self.noise_dim], step, D_NOISE)
        fake, _, _ = self._generate(embeddings, noise, training=True)
        fake = tf.stop_gradient(fake)
        real_logits = self.discriminator([real, embeddings], training=True)
        wrong_logits = self.discriminator([real, wrong], training=True)
        fake_logits = self.discriminator([fake, embeddings], training=True)
        return {
            "d_loss": losses_lib.matching_aware_discriminator_loss(
                real_logits, wrong_logits, fake_logits, self.discriminator_loss_fn
            )
        }

    def generator_losses(self, batch, step):
        embeddings = self._embed(batch, training=True)
        noise = self.normal(tf.shape(batch["images"])[0], [self.noise_dim], step, G_NOISE)
        fake, mu, log_sigma = self._generate(embeddings, noise, training=True)
        # The text encoder learns through the condition only: a gradient through D's text input
        # would let it move texts to wherever D scores the current fakes as real.
        fake_logits = self.discriminator([fake, tf.stop_gradient(embeddings)], training=True)
        return {
            "g_loss": self.generator_loss_fn(fake_logits),
            "kl_loss": self.kl_weight * losses_lib.gaussian_kl_loss(mu, log_sigma),
        }

    # -- Inference --------------------------------------------------------------------------------
    def chain(self):
        """`[text_embedding, noise] -> images` of this stage (Stage II: through Stage I)."""
        if self.stage == 1:
            return chain_lib.build_stage1_chain(self.conditioning, self.generator, self.embedding_dim)
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

    def sample_noise(self, num_images, seed=0):
        """`[num_images, noise_dim]` standard normal noise (z and every eps), fixed by `seed`."""
        if int(num_images) < 1:
            raise ValueError(f"num_images must be at least 1; received {num_images}.")
        return tf.random.stateless_normal([int(num_images), self.noise_dim], seed=[seed, 0]).numpy()

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
        """Generates images for captions or embeddings, one per row.

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
        if captions is not None:
            captions = text_lib.check_captions(captions)
            if self.text_encoder is None:
                self.caption_chain()
            count = len(captions)
        else:
            text_embedding = check_embeddings(text_embedding, self.embedding_dim).numpy()
            count = len(text_embedding)
        noise = self.sample_noise(count, seed) if noise is None else self.check_noise(noise, count)
        if captions is not None:
            graph = self.deployable(self.caption_chain())
            outputs = graph([tf.constant(captions.astype(str)), tf.constant(noise)], training=False)
        else:
            outputs = self.deployable(self.chain())([text_embedding, noise], training=False)
        return np.asarray(outputs)

    def check_noise(self, noise, count):
        noise = np.asarray(noise, dtype=np.float32)
        if noise.shape != (count, self.noise_dim):
            raise ValueError(
                f"noise must have shape [{count}, {self.noise_dim}] (z and every condition eps, one "
                f"row per text); received {noise.shape}."
            )
        return noise

    def preview(self, seed, per_caption=8):
        """One row per preview caption (random embeddings without a text encoder)."""
        if self.text_encoder is not None:
            captions = self.preview_captions or ["a"]
            captions = [c for c in captions for _ in range(per_caption)]
            return self.sample(captions=captions, seed=seed), per_caption
        embeddings = tf.random.stateless_normal([8, self.embedding_dim], seed=[seed, 1]).numpy()
        return self.sample(text_embedding=np.repeat(embeddings, per_caption, axis=0), seed=seed), per_caption

    def get_config(self):
        config = super().get_config()
        serialize = keras.saving.serialize_keras_object
        config.update(
            {
                "generator": serialize(self.generator),
                "discriminator": serialize(self.discriminator),
                "conditioning": serialize(self.conditioning),
                "stage": self.stage,
                "stage1": None if self.stage1 is None else serialize(self.stage1),
                "text_encoder": None if self.text_encoder is None else serialize(self.text_encoder),
                "kl_weight": self.kl_weight,
                "preview_captions": self.preview_captions,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator", "conditioning", "stage1", "text_encoder"):
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


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
    """`(images, texts, key)` from `{"images", "captions"|"embeddings"}` or an `(images, texts)` tuple.

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


def _is_trained(model):
    # convert_to_numpy: under a strategy the counter is a MirroredVariable.
    return model.compiled and int(keras.ops.convert_to_numpy(model.d_optimizer.iterations)) > 0


def _load_stage1(path):
    """The StackGAN saved at `path` (compiled, so that its training steps are known)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(
            f"stage=2 needs a trained Stage I, but there is no file at {path!r}: train Stage I "
            "first (keras-gans-train --model=stackgan --stage=1) and pass its model.keras."
        )
    model = keras.saving.load_model(path)
    if not isinstance(model, StackGAN):
        raise ValueError(f"{path!r} holds a {type(model).__name__}, not a StackGAN.")
    return model


def _resolve_stage1(stage1, text_encoder):
    """`(frozen Stage-I chain, text encoder)` from a StackGAN, a `.keras` path or a chain."""
    if stage1 is None:
        raise ValueError(
            "stage=2 needs a trained Stage I: pass stage1=<a trained StackGAN(stage=1)> or the "
            "path of its .keras file (the model.keras of a --stage=1 run); received None."
        )
    if isinstance(stage1, (str, os.PathLike)):
        stage1 = _load_stage1(stage1)
    if isinstance(stage1, StackGAN):
        if stage1.stage != 1:
            raise ValueError(f"stage1 must be a Stage-I StackGAN; received one with stage={stage1.stage}.")
        if not _is_trained(stage1):
            raise ValueError(
                "stage=2 needs a trained Stage I; the StackGAN(stage=1) given has taken no "
                "training step. Train it first (fit, or keras-gans-train --stage=1)."
            )
        return stage1.chain(), stage1.text_encoder
    if isinstance(stage1, keras.Model) and [t.name for t in stage1.inputs] == ["text_embedding", "noise"]:
        return stage1, text_encoder
    raise ValueError(
        "stage1 must be a StackGAN(stage=1), the path of its .keras file, or its chain "
        f"[text_embedding, noise] -> images; received {type(stage1).__name__}."
    )
