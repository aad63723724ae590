"""Training runs: the typed config, the model registry and `train(config)`."""

from keras_gans.training.config import STRATEGIES, TrainConfig
from keras_gans.training.specs import MODEL_NAMES, MODEL_SPECS, ModelSpec, get_spec
from keras_gans.training.strategy import make_strategy
from keras_gans.training.train import TrainResult, train
