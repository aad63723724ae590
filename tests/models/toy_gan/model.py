"""ToyGAN: a GAN with one hidden layer per network, the smallest model the registry takes."""

import keras

from keras_gans.models import GAN
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator


@keras.saving.register_keras_serializable(package="keras_gans_toy")
class ToyGAN(GAN):
    """A `GAN` whose generator and discriminator have one hidden layer of `units` units."""

    @classmethod
    def build(cls, image_shape=(16, 16, 1), latent_dim=8, units=32, seed=0, **kwargs):
        return cls(
            build_mlp_generator(latent_dim, tuple(image_shape), units=(units,)),
            build_mlp_discriminator(tuple(image_shape), units=(units,)),
            seed=seed,
            **kwargs,
        )
