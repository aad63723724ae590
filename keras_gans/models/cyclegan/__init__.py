"""CycleGAN (Zhu et al. 2017, https://arxiv.org/abs/1703.10593): model, networks, pool, schedule."""

from keras_gans.models.cyclegan.model import CycleGAN, cycle_loss, identity_loss
from keras_gans.models.cyclegan.networks import build_patch_discriminator, build_resnet_generator
from keras_gans.models.cyclegan.pool import ImagePool, pool_query
from keras_gans.models.cyclegan.schedule import ConstantThenLinearDecay
from keras_gans.models.cyclegan.spec import SPEC
from keras_gans.registry import register_model

__all__ = [
    "ConstantThenLinearDecay",
    "CycleGAN",
    "ImagePool",
    "build_patch_discriminator",
    "build_resnet_generator",
    "cycle_loss",
    "identity_loss",
    "pool_query",
]

register_model(SPEC)
