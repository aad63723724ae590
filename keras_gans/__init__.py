"""keras-gans: the classic GAN family in Keras 3, trained with `fit`, distributed and exported.

`import keras_gans` is all a user needs: the models, `make_dataset`, the `losses` module and
`export_model`. Importing the package registers every serialisable class (models, layers, graph
layers), so `keras.saving.load_model` reads any `.keras` file the library saved.

Example::

    import keras_gans
    dataset, info = keras_gans.make_dataset(
        "digits", image_size=16, channels=1, batch_size=64, with_labels=True
    )
    # What keras-gans-train trains (the README's quickstart).
    cgan = keras_gans.CGAN.from_preset("cgan")
    cgan.fit(dataset, epochs=200)
    keras_gans.export_model(cgan, "export/")

Without TensorFlow (a deployment box with onnxruntime and numpy only) the package imports
nothing, so `from keras_gans.export import OnnxRunner` works there; the names below then raise
an ImportError that says TensorFlow is missing.
"""

import importlib
import importlib.util
import os

from keras_gans import registry

# TensorFlow turns oneDNN on by default only on CPUs with AVX-512 VNNI or BF16, AVX-VNNI or AMX
# (`DefaultOneDnnPolicy` in tensorflow/core/util/util.cc). Elsewhere, AVX2 CPUs included, its
# convolutions fall back to Eigen, which trained DCGAN-64 at half the speed
# (benchmarks/results/peer_race_epyc_avx2*.json). The variable counts only before TensorFlow is
# first imported; a value the user set wins.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

__all__ = [
    "AdversarialModel",
    "CGAN",
    "CycleGAN",
    "DCGAN",
    "GAN",
    "LAPGAN",
    "StackGAN",
    "export_model",
    "losses",
    "make_dataset",
]


def _tensorflow_present():
    # find_spec does not import: it only tells whether `import tensorflow` can find the package.
    return all(importlib.util.find_spec(name) is not None for name in ("tensorflow", "keras"))


if _tensorflow_present():
    # Importing the models and layers registers every class a `.keras` file may name.
    from keras_gans import layers, losses  # noqa: F401
    from keras_gans.data import make_dataset
    from keras_gans.models import CGAN, DCGAN, GAN, LAPGAN, AdversarialModel, CycleGAN, StackGAN


def _build_preset(preset, info=None, **overrides):
    # Imported on the first build: models need not load training's config and callbacks.
    from keras_gans.training.build import build_preset

    return build_preset(preset, info=info, **overrides)


def _load_generator(path):
    # Imported on the first load: the export layer pulls in tf2onnx and ONNX Runtime.
    from keras_gans.export.sampler import load_generator

    return load_generator(path)


# The core (models, metrics) never imports training or export; this package, the public face,
# plugs them into the registry's extension points (`Model.from_preset`, `evaluate_run` on exports).
registry.plug("build_preset", _build_preset)
registry.plug("load_generator", _load_generator)


def __getattr__(name):
    if name == "export_model":
        # Lazy: the export layer pulls in tf2onnx and ONNX Runtime, which training does not need.
        value = importlib.import_module("keras_gans.export.exporter").export_model
        globals()[name] = value
        return value
    if name in __all__:
        raise ImportError(
            f"keras_gans.{name} needs TensorFlow and Keras, which this environment lacks; install "
            "tensorflow (without it, only keras_gans.export.OnnxRunner is available)."
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
