"""Layers the convolutional networks of several models build alike (DCGAN, the conv CGAN)."""

import keras

from keras_gans.models.initializers import gan_normal


def batch_norm():
    """DCGAN's BatchNorm: gamma from N(1, 0.02), momentum 0.9, epsilon 1e-5.

    Synchronized, so that N replicas normalise with the global batch's statistics.
    """
    return keras.layers.BatchNormalization(
        synchronized=True, momentum=0.9, epsilon=1e-5, gamma_initializer=gan_normal(1.0)
    )
