"""Training runs: the typed config, building from presets and `train(config)`.

The models and their presets are registered in `keras_gans.registry` by their own folders.
"""

from keras_gans.registry import ModelSpec, get_spec, model_names
from keras_gans.training.build import build_and_compile, build_preset
from keras_gans.training.config import STRATEGIES, TrainConfig
from keras_gans.training.strategy import make_strategy
from keras_gans.training.train import TrainResult, train

__all__ = [
    "STRATEGIES",
    "ModelSpec",
    "TrainConfig",
    "TrainResult",
    "build_and_compile",
    "build_preset",
    "get_spec",
    "make_strategy",
    "model_names",
    "train",
]
