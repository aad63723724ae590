"""Weight initialisers shared by the convolutional networks."""

import keras


def gan_normal(mean=0.0, stddev=0.02):
    """N(mean, stddev) (Radford et al.), a new instance for every layer.

    A shared module-level initializer would fix its seed when the module is imported (a different
    seed in every process, so workers and reruns disagree) and give every same-shaped layer
    identical weights. A new instance draws its seed from the generator that
    `keras.utils.set_random_seed` sets.
    """
    return keras.initializers.RandomNormal(mean, stddev)
