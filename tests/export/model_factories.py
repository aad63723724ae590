"""Tiny configs of every registered model; the shared export tests run over all of them.

A model joins the parity, signature and runner tests through the first of the `tiny_models` of
its `ModelSpec` (registered in its folder); nothing here lists models.
"""

import dataclasses
from typing import Callable

import numpy as np

from keras_gans import registry


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


def build(name, seed=0):
    """A fresh model of the factory called `name`."""
    model = next(f for f in MODEL_FACTORIES if f.name == name).build()
    return jitter_weights(model, seed) if seed else model


MODEL_FACTORIES = [
    ModelFactory(spec.name, lambda spec=spec: trained_like(spec.tiny_models[0].build()))
    for spec in registry.specs()
    if spec.tiny_models
]
