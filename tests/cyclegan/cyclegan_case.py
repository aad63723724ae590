"""Tiny CycleGANs and unpaired batches shared by the CycleGAN tests."""

import numpy as np
import tensorflow as tf

from keras_gans.models import CycleGAN
from keras_gans.models.cyclegan import build_patch_discriminator, build_resnet_generator


def tiny_cyclegan(size=16, channels=1, pool_size=3, seed=0, **kwargs):
    """Both generators with 1 residual block and 4 filters; 2-layer PatchGANs (few ops to trace)."""
    return CycleGAN(
        build_resnet_generator(size, channels, 4, 1, "image_a", "generator_ab"),
        build_resnet_generator(size, channels, 4, 1, "image_b", "generator_ba"),
        build_patch_discriminator(size, channels, 4, num_layers=2, name="discriminator_a"),
        build_patch_discriminator(size, channels, 4, num_layers=2, name="discriminator_b"),
        pool_size=pool_size,
        seed=seed,
        **kwargs,
    )


def unpaired_batches(num_examples=8, batch_size=4, size=16, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    images = {
        key: rng.uniform(-1, 1, (num_examples, size, size, channels)).astype(np.float32)
        for key in ("image_a", "image_b")
    }
    return tf.data.Dataset.from_tensor_slices(images).batch(batch_size, drop_remainder=True), images
