"""The vanilla GAN (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661): model, networks,
presets."""

from keras_gans.models.gan.model import GAN
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator
from keras_gans.models.gan.spec import SPEC
from keras_gans.registry import register_model

__all__ = [
    "GAN",
    "build_mlp_discriminator",
    "build_mlp_generator",
]

register_model(SPEC)
