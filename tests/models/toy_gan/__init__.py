"""A seventh model, made the way a contributor adds one: this folder plus one import line.

Its files are the roles of every model folder: `model.py` (the training model), `presets.py`
(named settings as data), `spec.py` (how to build, feed, evaluate and test it) and this file,
which registers it. Inside the package the folder would sit in `keras_gans/models/` and the
import line would go into `keras_gans/models/__init__.py`; here `tests/models/test_toy_model.py`
imports it.
"""

from keras_gans.registry import register_model
from toy_gan.model import ToyGAN
from toy_gan.spec import SPEC

__all__ = ["SPEC", "ToyGAN"]

register_model(SPEC)
