"""The README's Python quickstart (its first python block) builds what `keras-gans-train` trains."""

import os
import re

import keras
import tensorflow as tf
from build_signature import signature

import keras_gans
from keras_gans.training import TrainConfig, build_and_compile, get_spec

README = os.path.join(os.path.dirname(__file__), "..", "README.md")


def quickstart():
    with open(README, encoding="utf-8") as handle:
        return re.search(r"```python\n(.*?)```", handle.read(), re.S).group(1)


def test_quickstart_builds_the_cli_default_networks(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the example saves cgan.keras
    fits, exports = [], []
    monkeypatch.setattr(
        keras.Model, "fit", lambda model, data, **kwargs: fits.append((model, data, kwargs))
    )
    monkeypatch.setattr(keras_gans, "export_model", lambda model, path: exports.append(model))
    namespace = {}
    exec(compile(quickstart(), README, "exec"), namespace)

    config = TrainConfig().resolved()  # keras-gans-train with no flags
    spec = get_spec(config.model)
    dataset, info = spec.make_dataset(config, 1)
    cli_model = build_and_compile(config, info, tf.distribute.get_strategy())
    ((model, data, kwargs),) = fits
    assert signature(model) == signature(cli_model) and exports == [model]
    assert kwargs["epochs"] == config.epochs
    assert data.element_spec == dataset.element_spec
    assert namespace["sevens"].shape == (8, 16, 16, 1)
