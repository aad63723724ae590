from keras_gans.models.cgan.model import CGAN
from keras_gans.models.cgan.networks import build_conditional_discriminator, build_conditional_generator
