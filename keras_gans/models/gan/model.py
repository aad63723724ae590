"""The vanilla GAN training model (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661)."""

import keras
import numpy as np
import tensorflow as tf

from keras_gans import inference
from keras_gans.models import validation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator
from keras_gans.models.gan.presets import GENERATOR_UNITS

# Noise streams of one training step (the generator side's is drawn only without a shared pass),
# then the augmentation draws of each discriminator call.
D_NOISE, G_NOISE, AUGMENT_REAL, AUGMENT_FAKE, AUGMENT_G = 0, 1, 2, 3, 4


@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(AdversarialModel):
    """A generator of images from noise, trained against a discriminator.

    The networks are injected: any functional models with a `noise` -> `images` generator and an
    `images` -> `logits` discriminator will do (`build` makes the paper's MLPs). Subclasses that
    condition both networks (CGAN) override `network_inputs` and `prepare_batch`.

    Args:
        generator: `keras.Model` mapping `[B, latent_dim]` noise to `[B, H, W, C]` images.
        discriminator: `keras.Model` mapping images to logits `[B, 1]` (or patches).
        seed: Seed of the training noise.
        share_generator_pass: Run G(z) once per step for both sides, as dcgan.torch and PyTorch's
            DCGAN example do: the discriminator updates on it, then the generator backpropagates
            through the same pass against the updated discriminator. It saves one generator
            forward pass per step; `False` draws fresh noise for the generator side (the keras.io
            order).
        augment: DiffAugment transforms applied to real and generated images before every
            discriminator call (`AdversarialModel`). Helps most on a few hundred images.
        **kwargs: Passed to `keras.Model`.

    Example::

        gan = GAN.build(image_shape=(16, 16, 1), latent_dim=64)
        gan.compile()
        gan.fit(dataset, epochs=10)
        images = gan.sample(16)
    """

    def __init__(
        self, generator, discriminator, seed=0, share_generator_pass=True, augment=None, **kwargs
    ):
        super().__init__(seed=seed, augment=augment, **kwargs)
        self.share_generator_pass = bool(share_generator_pass)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.inputs[0].shape[-1])
        self.image_shape = tuple(int(d) for d in generator.outputs[0].shape[1:])
        self.built = True

    @classmethod
    def build(
        cls,
        image_shape=(16, 16, 1),
        latent_dim=64,
        seed=0,
        generator_units=GENERATOR_UNITS,
        **kwargs,
    ):
        """The paper's MLP networks for `image_shape`; the generator's hidden widths are
        `generator_units` (the `gan` preset's, `presets.py`; the paper's are (256, 512))."""
        return cls(
            build_mlp_generator(latent_dim, tuple(image_shape), units=tuple(generator_units)),
            build_mlp_discriminator(tuple(image_shape)),
            seed=seed,
            **kwargs,
        )

    # -- What the conditional subclass changes --------------------------------------------------
    def network_inputs(self, tensor, batch):
        """The inputs of either network for `tensor` (noise or images) in this batch."""
        return tensor

    def prepare_batch(self, data):
        images, _ = validation.unpack_batch(data)
        return {"images": validation.check_images(images, self.image_shape)}

    # -- The two sides ----------------------------------------------------------------------------
    def _fake(self, batch, step, stream):
        noise = self.normal(tf.shape(batch["images"])[0], [self.latent_dim], step, stream)
        return self.generator(self.network_inputs(noise, batch), training=True)

    def generator_pass(self, batch, step):
        return {"fake": self._fake(batch, step, D_NOISE)}

    def _discriminate(self, images, batch, step, stream):
        """The discriminator's logits for `images`, augmented with this call's own draws."""
        images = self.augmented(images, step, stream)
        return self.discriminator(self.network_inputs(images, batch), training=True)

    def discriminator_losses(self, batch, step):
        real_logits = self._discriminate(batch["images"], batch, step, AUGMENT_REAL)
        fake_logits = self._discriminate(batch["fake"], batch, step, AUGMENT_FAKE)
        return {"d_loss": self.discriminator_loss_fn(real_logits, fake_logits)}

    def generator_losses(self, batch, step):
        # G does not change between the two updates: a second pass would only redraw the noise.
        fake = batch["fake"] if self.share_generator_pass else self._fake(batch, step, G_NOISE)
        fake_logits = self._discriminate(fake, batch, step, AUGMENT_G)
        return {"g_loss": self.generator_loss_fn(fake_logits)}

    # -- Inference --------------------------------------------------------------------------------
    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    @property
    def noise_name(self):
        """The name of the generator's noise input (`noise` for the built-in networks)."""
        return self.generator.inputs[0].name

    def sample_noise(self, num_images, seed=0):
        """The `[num_images, latent_dim]` noise `generate(num_images=..., seed=seed)` draws."""
        spec = inference.InputSpec(self.noise_name, "float32", (None, self.latent_dim))
        return inference.draw_noise(spec, inference.check_num_images(num_images), seed)

    def sample(self, num_images=16, noise=None, seed=0):
        """`[N, H, W, C]` float32 images in [-1, 1]: `generate(...)["images"]`, the noise given
        as an argument (any float array) or drawn from `seed`."""
        if noise is not None:
            return self.generate({self.noise_name: noise}, seed=seed)["images"]
        return self.generate(num_images=num_images, seed=seed)["images"]

    def check_generate_inputs(self, inputs):
        if self.noise_name in inputs:
            inputs[self.noise_name] = self.check_noise(inputs[self.noise_name])
        return inputs

    def check_noise(self, noise):
        noise = np.asarray(noise, dtype=np.float32)
        if noise.ndim != 2 or noise.shape[1] != self.latent_dim:
            raise ValueError(
                f"noise must have shape [batch, {self.latent_dim}]; received {noise.shape}."
            )
        return noise

    def preview(self, seed, num_images=64):
        return self.generate(num_images=num_images, seed=seed)["images"], 8

    def inference_models(self):
        return {"generator": self.deployable(self.generator)}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "share_generator_pass": self.share_generator_pass,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
