"""Tiny configs of every training model; the shared export tests run over all of them.

A new model joins the parity, signature and runner tests by adding one `ModelFactory` here.
"""

import dataclasses
from typing import Callable

import numpy as np

from keras_gans.models import CGAN, DCGAN, GAN
from keras_gans.models import LAPGAN


@dataclasses.dataclass(frozen=True)
class ModelFactory:
    """`build()` returns a training model whose `inference_models()` the tests export."""

    name: str
    build: Callable


def jitter_weights(model, seed=0):
    """Moves every weight off its initial value, as training would.

    Fresh BatchNormalization layers have zero means, unit variances and zero offsets, which tf2onnx
    folds away; jittered statistics and biases make the parity check cover them.
    """
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        value = np.asarray(variable)
        noise = rng.normal(0.0, 0.1, value.shape).astype(value.dtype)
        value = np.abs(value + noise) if "variance" in variable.path else value + noise
        variable.assign(value)
    return model


def trained_like(model, seed=0):
    """`model` compiled (as a training run leaves it) with jittered weights."""
    model.compile()
    return jitter_weights(model, seed)


def _gan():
    return trained_like(GAN.build(image_shape=(8, 8, 1), latent_dim=8))


def _cgan():
    return trained_like(CGAN.build(image_shape=(8, 8, 1), latent_dim=8, num_classes=3))


def _dcgan():
    return trained_like(DCGAN.build(image_shape=(16, 16, 1), latent_dim=8, base_filters=8))


def _stackgan():
    # The chain from text embedding to the Stage-II image, through a (jittered) Stage I.
    from keras_gans.models import StackGAN

    stage1 = StackGAN.build(
        stage=1, image_size=8, channels=1, latent_dim=4, condition_dim=4, embedding_dim=6, base_filters=4
    )
    return trained_like(
        StackGAN.build(stage=2, stage1=stage1.chain(), image_size=8, condition_dim=4, base_filters=4, residual_blocks=1)
    )


def _lapgan():
    # Conditional, 3 levels 4 -> 8 -> 16: exports the sampler and the super-resolution chain.
    return trained_like(LAPGAN.build(
        image_shape=(16, 16, 1), levels=3, latent_dim=8, num_classes=3, filters=4,
        coarse_units=(16,), coarse_discriminator_units=(16,),
    ))


def _cyclegan():
    # Both directions (a_to_b, b_to_a): reflection padding and instance norm must export.
    from keras_gans.models import CycleGAN

    return trained_like(CycleGAN.build(image_shape=(32, 32, 1), base_filters=4, num_blocks=1))


def build(name, seed=0):
    """A fresh model of the factory called `name`."""
    model = next(f for f in MODEL_FACTORIES if f.name == name).build()
    return jitter_weights(model, seed) if seed else model


MODEL_FACTORIES = [
    ModelFactory("gan", _gan),
    ModelFactory("cgan", _cgan),
    ModelFactory("dcgan", _dcgan),
    ModelFactory("lapgan", _lapgan),
    ModelFactory("stackgan", _stackgan),
    ModelFactory("cyclegan", _cyclegan),
]
