from keras_gans.models.dcgan.model import DCGAN
from keras_gans.models.dcgan.networks import build_dcgan_discriminator, build_dcgan_generator
