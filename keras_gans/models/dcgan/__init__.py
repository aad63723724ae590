"""DCGAN (Radford et al. 2015, https://arxiv.org/abs/1511.06434): model, networks, presets."""

from keras_gans.models.dcgan.model import DCGAN
from keras_gans.models.dcgan.networks import build_dcgan_discriminator, build_dcgan_generator
from keras_gans.models.dcgan.spec import SPEC
from keras_gans.registry import register_model

__all__ = [
    "DCGAN",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
]

register_model(SPEC)
