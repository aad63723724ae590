"""The StackGAN training model (Zhang et al. 2017, https://arxiv.org/abs/1612.03242)."""

import os

import keras
import tensorflow as tf

from keras_gans import losses as losses_lib
from keras_gans.layers import ConditioningAugmentation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.stackgan import batches, matching, networks
from keras_gans.models.stackgan import stage1 as stage1_lib
from keras_gans.models.stackgan import text as text_lib
from keras_gans.models.stackgan.inference import StackGANInference
from keras_gans.models.stackgan.presets import MINIBATCH_STD
from keras_gans.models.validation import check_number_at_least_zero

# Noise streams of one training step, then the augmentation draws of the discriminator's
# images: real (shared by the matching and mismatched calls), fake, and the generator side's.
D_NOISE, G_NOISE = 0, 1
AUGMENT_REAL, AUGMENT_FAKE, AUGMENT_G = 2, 3, 4
#: Stage II's resolution over Stage I's (64 -> 256 in the paper).
STAGE2_UPSCALE = 4


def _widths(stage, stage1_size, base_filters, residual_blocks):
    """`(base_filters, residual_blocks)`, those not given following Stage I's resolution: the
    paper's 64 and 4 from 64x64 up; below it Stage I keeps df 64 and Stage II, with 16x the
    pixels, shrinks to df 6 and 1 block."""
    small = stage1_size < 64
    if base_filters is None:
        base_filters = 6 if small and stage == 2 else 64
    if residual_blocks is None:
        residual_blocks = 1 if small else 4
    return base_filters, residual_blocks


@keras.saving.register_keras_serializable(package="keras_gans")
class StackGAN(StackGANInference, AdversarialModel):
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
        augment: DiffAugment transforms applied to the discriminator's images, real and
            generated, never to its text input (`AdversarialModel`), or None.
        **kwargs: Passed to `keras.Model`.

    Example::

        stage1 = StackGAN.build(stage=1, image_size=16, channels=1, vocabulary=words)
        stage1.compile()
        stage1.fit(dataset16)  # {"images", "captions"}
        stage2 = StackGAN.build(stage=2, stage1=stage1)
        stage2.compile()
        stage2.fit(dataset64)
        images = stage2.sample(captions=["a thick seven"] * 4)
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
        augment=None,
        **kwargs,
    ):
        super().__init__(seed=seed, augment=augment, **kwargs)
        if stage not in (1, 2) or isinstance(stage, bool):
            raise ValueError(f"stage must be 1 or 2; received {stage!r}.")
        if not isinstance(conditioning, ConditioningAugmentation):
            raise ValueError(
                "conditioning must be a ConditioningAugmentation layer; received "
                f"{type(conditioning).__name__}."
            )
        check_number_at_least_zero("kl_weight", kl_weight)
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
            self.stage1, self.text_encoder = stage1_lib.resolve_stage1(
                stage1, text_encoder, StackGAN
            )
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
        channels=1,
        latent_dim=32,
        condition_dim=32,
        vocabulary=None,
        embedding_dim=None,
        base_filters=None,
        residual_blocks=None,
        stage1=None,
        sequence_length=16,
        kl_weight=0.2,
        minibatch_std=MINIBATCH_STD,
        refine=True,
        preview_captions=None,
        seed=0,
        **kwargs,
    ):
        """The paper's networks for one stage.

        The defaults are the `stackgan` preset's (`presets.py`: the captioned digits, Stage I at
        16x16); the paper's are `image_size=64, channels=3, latent_dim=100, condition_dim=128,
        kl_weight=2.0, minibatch_std=None, refine=False`.

        Args:
            stage: 1 or 2.
            image_size: Stage I's resolution (default 16); Stage II trains at 4x it and takes
                it from Stage I (when given, it must match).
            channels: Image channels (Stage II takes them from Stage I).
            latent_dim: Size of Stage I's z (100 in the paper).
            condition_dim: Size of the CA condition and of D's compressed text (128 in the paper).
            vocabulary: Words of the built-in text encoder; None for precomputed embeddings.
            embedding_dim: Size of the text embeddings: with `vocabulary` default
                `4 * condition_dim`; without it, required (the precomputed embeddings' size).
            base_filters: The discriminators' df (64 in the paper); generators use gf = 2 df.
                Default 64, but 6 for a Stage II on a Stage I below 64x64 (16x the pixels:
                the structure is kept and the width shrinks).
            residual_blocks: Residual blocks of the Stage-II generator; default 4 (the paper's)
                from a 64x64 Stage I up, 1 below.
            stage1: Stage II only: the trained Stage I (model or `.keras` path).
            sequence_length: Words per caption kept by the text encoder.
            kl_weight: Weight of the CA's KL term (2.0 in the paper).
            minibatch_std: Group size of a minibatch standard deviation feature in the
                discriminator (`networks.build_text_discriminator`); None (the paper's) for
                none.
            refine: Stage II only: its generator corrects the upsampled Stage-I image instead
                of drawing a new one (`networks.build_stage2_generator`); False is the paper's.
            preview_captions: Captions of the sample grid rows.
            seed: Seed of the training noise.
            **kwargs: Passed to the constructor (`augment`) and to `keras.Model`.

        Raises:
            ValueError: Stage II without a trained Stage I, or sizes that do not fit.
        """
        common = dict(kl_weight=kl_weight, preview_captions=preview_captions, seed=seed, **kwargs)
        if stage == 2:
            if isinstance(stage1, (str, os.PathLike)):
                stage1 = stage1_lib.load_stage1(stage1, StackGAN)
            stage1_model, text_encoder = stage1_lib.resolve_stage1(stage1, None, StackGAN)
            size, _, channels = (int(d) for d in stage1_model.outputs[0].shape[1:])
            if image_size is not None and image_size != size:
                raise ValueError(
                    f"image_size is Stage I's resolution; the Stage I given makes {size}x{size} "
                    f"images, but image_size={image_size} was requested."
                )
            embedding_dim = int(stage1_model.inputs[0].shape[-1])
            base_filters, residual_blocks = _widths(2, size, base_filters, residual_blocks)
            if preview_captions is None and isinstance(stage1, StackGAN):
                common["preview_captions"] = stage1.preview_captions
            return cls(
                networks.build_stage2_generator(
                    size,
                    channels,
                    condition_dim,
                    2 * base_filters,
                    residual_blocks,
                    upscale=STAGE2_UPSCALE,
                    refine=refine,
                ),
                networks.build_text_discriminator(
                    STAGE2_UPSCALE * size,
                    channels,
                    embedding_dim,
                    base_filters,
                    compressed_dim=condition_dim,
                    minibatch_std=minibatch_std,
                    name="stage2_discriminator",
                ),
                ConditioningAugmentation(condition_dim, name="stage2_conditioning"),
                stage=2,
                stage1=stage1_model,
                text_encoder=text_encoder,
                **common,
            )
        if stage != 1:
            raise ValueError(f"stage must be 1 or 2; received {stage!r}.")
        if stage1 is not None:
            raise ValueError("stage=1 builds Stage I from scratch; stage1 must be None.")
        image_size = 16 if image_size is None else image_size
        base_filters, residual_blocks = _widths(1, image_size, base_filters, residual_blocks)
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
                image_size,
                channels,
                embedding_dim,
                base_filters,
                compressed_dim=condition_dim,
                minibatch_std=minibatch_std,
                name="stage1_discriminator",
            ),
            ConditioningAugmentation(condition_dim, name="stage1_conditioning"),
            stage=1,
            text_encoder=text_encoder,
            **common,
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
        return batches.parse_batch(
            data, self.image_shape, self.embedding_dim, self.text_encoder is not None
        )

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
        fake = self.augmented(tf.stop_gradient(fake), step, AUGMENT_FAKE)
        real = self.augmented(real, step, AUGMENT_REAL)
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
        fake = self.augmented(fake, step, AUGMENT_G)
        fake_logits = self.discriminator([fake, tf.stop_gradient(embeddings)], training=True)
        return {
            "g_loss": self.generator_loss_fn(fake_logits),
            "kl_loss": self.kl_weight * losses_lib.gaussian_kl_loss(mu, log_sigma),
        }

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
