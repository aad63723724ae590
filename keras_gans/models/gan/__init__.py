from keras_gans.models.gan.model import GAN
from keras_gans.models.gan.networks import build_mlp_discriminator, build_mlp_generator
