"""Tiny StackGANs shared by the StackGAN tests: Stage I at 8x8, Stage II at 32x32."""

import dataclasses

import gan_test_case as case
import keras
import numpy as np
import tensorflow as tf

from keras_gans.models import StackGAN

VOCABULARY = ["a", "thick", "thin", "seven", "one", "two"]
CAPTIONS = np.array(
    [
        "a thick seven",
        "a one",
        "a thin two",
        "a seven",
        "a thick one",
        "a two",
        "a seven",
        "a thin one",
    ]
    * 2
)
RNG = np.random.default_rng(0)
IMAGES8 = RNG.uniform(-1, 1, (16, 8, 8, 1)).astype(np.float32)
IMAGES32 = RNG.uniform(-1, 1, (16, 32, 32, 1)).astype(np.float32)
SMALL = dict(condition_dim=4, base_filters=4, seed=3)


def caption_data(images, batch_size=8):
    return tf.data.Dataset.from_tensor_slices({"images": images, "captions": CAPTIONS}).batch(
        batch_size
    )


def build_stage1(**overrides):
    kwargs = dict(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        vocabulary=VOCABULARY,
        embedding_dim=8,
        sequence_length=4,
        preview_captions=["a seven", "a thin one"],
        **SMALL,
    )
    kwargs.update(overrides)
    return StackGAN.build(**kwargs)


def build_stage2(stage1):
    return StackGAN.build(stage=2, stage1=stage1, image_size=8, residual_blocks=1, **SMALL)


@dataclasses.dataclass
class StageRun:
    """A tiny stage after three SGD steps on one device (1 vs 2 replicas: test_every_model.py).

    Attributes:
        model: The model after its steps.
        initial: Its weights before the steps, in `model.weights` order.
        path: Where `model` was saved (`.keras`).
    """

    model: StackGAN
    initial: list
    path: str


def run_stage(build, data, path, learning_rate=0.1):
    """Three SGD steps at `learning_rate`, then the model saved to `path`."""
    model, initial = case.train_sgd(build, data, 3, lambda: keras.optimizers.SGD(learning_rate))
    model.save(path)
    return StageRun(model, initial, path)


def chain_inputs(model, count=3, seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.normal(size=(count, model.embedding_dim)).astype(np.float32),
        rng.normal(size=(count, model.noise_dim)).astype(np.float32),
    ]
