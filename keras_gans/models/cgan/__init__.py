"""The conditional GAN (Mirza & Osindero 2014, https://arxiv.org/abs/1411.1784): model, networks
(the paper's MLPs and convolutional ones), presets."""

from keras_gans.models.cgan.conv_networks import (
    build_conv_conditional_discriminator,
    build_conv_conditional_generator,
)
from keras_gans.models.cgan.model import CGAN
from keras_gans.models.cgan.networks import (
    build_conditional_discriminator,
    build_conditional_generator,
)
from keras_gans.models.cgan.spec import SPEC
from keras_gans.registry import register_model

__all__ = [
    "CGAN",
    "build_conditional_discriminator",
    "build_conditional_generator",
    "build_conv_conditional_discriminator",
    "build_conv_conditional_generator",
]

register_model(SPEC)
