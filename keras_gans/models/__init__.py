"""The GAN training models, each a `keras.Model` with its own networks and `train_step`."""

from keras_gans.models.base import AdversarialModel
from keras_gans.models.cgan import CGAN
from keras_gans.models.cyclegan import CycleGAN
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.gan import GAN
from keras_gans.models.lapgan import LAPGAN
from keras_gans.models.stackgan import StackGAN
