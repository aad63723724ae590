from keras_gans.models.lapgan.chain import build_sampling_chain, chain_input_names
from keras_gans.models.lapgan.model import LAPGAN
from keras_gans.models.lapgan.networks import (
    build_level_networks,
    build_residual_discriminator,
    build_residual_generator,
)
