"""LAPGAN (Denton et al. 2015, https://arxiv.org/abs/1506.05751): model, networks, sampling
chain, presets."""

from keras_gans.models.lapgan.chain import build_sampling_chain, chain_input_names
from keras_gans.models.lapgan.model import LAPGAN
from keras_gans.models.lapgan.networks import (
    build_level_networks,
    build_residual_discriminator,
    build_residual_generator,
)
from keras_gans.models.lapgan.spec import SPEC
from keras_gans.registry import register_model

__all__ = [
    "LAPGAN",
    "build_level_networks",
    "build_residual_discriminator",
    "build_residual_generator",
    "build_sampling_chain",
    "chain_input_names",
]

register_model(SPEC)
