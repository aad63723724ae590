"""The README's Python quickstart (docs/quickstart.py) builds what `keras-gans-train` trains."""

import os
import runpy

import keras
import tensorflow as tf
from build_signature import signature

import keras_gans
from keras_gans.training import TrainConfig, build_and_compile, get_spec

QUICKSTART = os.path.join(os.path.dirname(__file__), "..", "docs", "quickstart.py")


def test_quickstart_builds_the_cli_default_networks(monkeypatch):
    fits, exports = [], []
    monkeypatch.setattr(keras.Model, "fit", lambda model, data, **kwargs: fits.append((model, data, kwargs)))
    monkeypatch.setattr(keras_gans, "export_model", lambda model, path: exports.append(model))
    namespace = runpy.run_path(QUICKSTART)

    config = TrainConfig().resolved()  # keras-gans-train with no flags
    spec = get_spec(config.model)
    dataset, info = spec.make_dataset(config, 1)
    cli_model = build_and_compile(config, info, tf.distribute.get_strategy())
    (model, data, kwargs), = fits
    assert signature(model) == signature(cli_model) and exports == [model]
    assert kwargs["epochs"] == config.epochs
    assert data.element_spec == dataset.element_spec
