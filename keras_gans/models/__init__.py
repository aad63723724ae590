"""The GAN training models, each a `keras.Model` with its own networks and `train_step`."""

from keras_gans.models.base import AdversarialModel
from keras_gans.models.cgan import CGAN
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.gan import GAN
