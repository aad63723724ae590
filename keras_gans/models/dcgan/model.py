"""The DCGAN training model (Radford et al. 2015, https://arxiv.org/abs/1511.06434)."""

import keras

from keras_gans.models.dcgan.networks import build_dcgan_discriminator, build_dcgan_generator
from keras_gans.models.gan.model import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class DCGAN(GAN):
    """A GAN with the convolutional networks of Radford et al.; training is the GAN's.

    Only the default networks differ from `GAN`: the class exists so that `build` makes the
    paper's architecture and saved files name what they hold.
    """

    @classmethod
    def build(cls, image_shape=(32, 32, 1), latent_dim=100, seed=0, base_filters=32, **kwargs):
        """The paper's networks for square `image_shape` (16, 32, 64... pixels).

        The defaults are the `dcgan` preset's (`presets.py`: digits at 32x32, widths halved); the
        paper's LSUN model is `image_shape=(64, 64, 3), base_filters=64`.
        """
        height, width, channels = image_shape
        if height != width:
            raise ValueError(f"DCGAN images must be square; received {height}x{width}.")
        return cls(
            build_dcgan_generator(height, channels, latent_dim, base_filters),
            build_dcgan_discriminator(height, channels, base_filters),
            seed=seed,
            **kwargs,
        )
