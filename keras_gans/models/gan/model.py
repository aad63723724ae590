"""The vanilla GAN training model (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661)."""

import keras
import numpy as np
import tensorflow as tf

from keras_gans.models import validation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator

# Noise streams of one training step (the generator side's is drawn only without a shared pass).
D_NOISE, G_NOISE = 0, 1


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
        **kwargs: Passed to `keras.Model`.

    Example:
        >>> gan = GAN.build(image_shape=(16, 16, 1), latent_dim=64)
        >>> gan.compile()
        >>> gan.fit(dataset, epochs=10)
        >>> images = gan.sample(16)
    """

    def __init__(self, generator, discriminator, seed=0, share_generator_pass=True, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.share_generator_pass = bool(share_generator_pass)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.inputs[0].shape[-1])
        self.image_shape = tuple(int(d) for d in generator.outputs[0].shape[1:])
        self.built = True

    @classmethod
    def build(cls, image_shape=(16, 16, 1), latent_dim=64, seed=0, **kwargs):
        """The paper's MLP networks for `image_shape`."""
        return cls(
            build_mlp_generator(latent_dim, tuple(image_shape)),
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

    def generate(self, batch, step):
        return {"fake": self._fake(batch, step, D_NOISE)}

    def discriminator_losses(self, batch, step):
        real_logits = self.discriminator(self.network_inputs(batch["images"], batch), training=True)
        fake_logits = self.discriminator(self.network_inputs(batch["fake"], batch), training=True)
        return {"d_loss": self.discriminator_loss_fn(real_logits, fake_logits)}

    def generator_losses(self, batch, step):
        # G does not change between the two updates: a second pass would only redraw the noise.
        fake = batch["fake"] if self.share_generator_pass else self._fake(batch, step, G_NOISE)
        fake_logits = self.discriminator(self.network_inputs(fake, batch), training=True)
        return {"g_loss": self.generator_loss_fn(fake_logits)}

    # -- Inference --------------------------------------------------------------------------------
    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_noise(self, num_images, seed=0):
        """`[num_images, latent_dim]` standard normal noise, fixed by `seed`."""
        if int(num_images) < 1:
            raise ValueError(f"num_images must be at least 1; received {num_images}.")
        return tf.random.stateless_normal([int(num_images), self.latent_dim], seed=[seed, 0]).numpy()

    def sample(self, num_images=16, noise=None, seed=0):
        """Generates `[N, H, W, C]` float32 images in [-1, 1] as numpy."""
        noise = self.sample_noise(num_images, seed) if noise is None else self.check_noise(noise)
        return np.asarray(self.deployable(self.generator)(noise, training=False))

    def check_noise(self, noise):
        noise = np.asarray(noise, dtype=np.float32)
        if noise.ndim != 2 or noise.shape[1] != self.latent_dim:
            raise ValueError(
                f"noise must have shape [batch, {self.latent_dim}]; received {noise.shape}."
            )
        return noise

    def preview(self, seed, num_images=64):
        return self.sample(num_images, seed=seed), 8

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
