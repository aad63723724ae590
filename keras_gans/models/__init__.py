"""The GAN training models, each a `keras.Model` with its own networks and `train_step`.

Each model's folder registers it (`keras_gans.registry`) when imported: its presets, how to train
and evaluate it and a tiny test model. A new model is one folder plus one import line here;
the order of the lines is the order `--model` lists them in.
"""

from keras_gans.models.base import AdversarialModel
from keras_gans.models.cgan import CGAN
from keras_gans.models.cyclegan import CycleGAN
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.gan import GAN
from keras_gans.models.lapgan import LAPGAN
from keras_gans.models.stackgan import StackGAN

__all__ = [
    "AdversarialModel",
    "CGAN",
    "CycleGAN",
    "DCGAN",
    "GAN",
    "LAPGAN",
    "StackGAN",
]
