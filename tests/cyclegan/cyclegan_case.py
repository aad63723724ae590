"""The registry's tiny CycleGAN and unpaired batches, shared by the CycleGAN tests."""

import numpy as np
import tensorflow as tf

from keras_gans.models.cyclegan import SPEC


def tiny_cyclegan(**kwargs):
    """The registry's tiny CycleGAN (16x16, pool of 3), with constructor `kwargs`."""
    return SPEC.tiny_models[0].build(**kwargs)


def unpaired_batches(num_examples=8, batch_size=4, size=16, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    images = {
        key: rng.uniform(-1, 1, (num_examples, size, size, channels)).astype(np.float32)
        for key in ("image_a", "image_b")
    }
    return tf.data.Dataset.from_tensor_slices(images).batch(batch_size, drop_remainder=True), images
