"""What `train` needs to know of each model: its preset defaults, how to build it, its data.

A model joins the CLI and `train` by adding one `ModelSpec` to `MODEL_SPECS`.
"""

import dataclasses
from typing import Callable

from keras_gans import data as data_lib
from keras_gans.models import CGAN, DCGAN, GAN
from keras_gans.models import LAPGAN


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """How to train one model.

    Attributes:
        defaults: Preset values of the `TrainConfig` fields left `None`.
        build: `(config, dataset_info) -> model`, called inside the strategy scope.
        make_dataset: `(config, num_replicas) -> (tf.data.Dataset, DatasetInfo)`.
        needs_labels: Whether the dataset must carry class labels.
    """

    defaults: dict
    build: Callable
    make_dataset: Callable
    needs_labels: bool = False


def image_dataset(config, num_replicas, with_labels=None):
    """The batched image pipeline of `config.dataset` (single-domain models)."""
    return data_lib.make_dataset(
        config.dataset,
        image_size=config.image_size,
        channels=config.channels,
        batch_size=config.batch_size,
        num_replicas=num_replicas,
        seed=config.seed,
        with_labels=with_labels,
    )


def _shape(config):
    return (config.image_size, config.image_size, config.channels)


def _labelled_dataset(config, num_replicas):
    return image_dataset(config, num_replicas, with_labels=True)


def _unlabelled_dataset(config, num_replicas):
    return image_dataset(config, num_replicas, with_labels=False)


def _lapgan_dataset(config, num_replicas):
    # Labels only for the class-conditional variant; the faces carry none.
    return image_dataset(config, num_replicas, with_labels=bool(config.conditional))


def _build_lapgan(config, info):
    return LAPGAN.build(
        _shape(config), levels=config.levels, latent_dim=config.latent_dim,
        num_classes=info.num_classes if config.conditional else None,
        filters=config.base_filters, seed=config.seed,
    )


_DIGITS = {"dataset": "digits", "channels": 1, "image_size": 16, "batch_size": 64}

MODEL_SPECS = {
    "gan": ModelSpec(
        defaults={**_DIGITS, "epochs": 100, "latent_dim": 64},
        build=lambda config, info: GAN.build(_shape(config), config.latent_dim, seed=config.seed),
        make_dataset=_unlabelled_dataset,
    ),
    "cgan": ModelSpec(
        defaults={**_DIGITS, "epochs": 300, "latent_dim": 64},
        build=lambda config, info: CGAN.build(
            _shape(config), config.latent_dim, num_classes=info.num_classes, seed=config.seed
        ),
        make_dataset=_labelled_dataset,
        needs_labels=True,
    ),
    "dcgan": ModelSpec(
        defaults={**_DIGITS, "epochs": 30, "latent_dim": 100, "image_size": 32, "base_filters": 32},
        build=lambda config, info: DCGAN.build(
            _shape(config), config.latent_dim, seed=config.seed, base_filters=config.base_filters
        ),
        make_dataset=_unlabelled_dataset,
    ),
    # CPU preset: the bundled faces, 8 -> 16 -> 32, finer levels 32 maps wide (paper: 128).
    "lapgan": ModelSpec(
        defaults={
            "dataset": "faces", "channels": 1, "image_size": 32, "batch_size": 40, "epochs": 300,
            "latent_dim": 100, "levels": 3, "base_filters": 32, "conditional": False,
        },
        build=_build_lapgan,
        make_dataset=_lapgan_dataset,
    ),
}

MODEL_NAMES = tuple(MODEL_SPECS)


def get_spec(name):
    """The `ModelSpec` of `name`; a ValueError lists the known models."""
    if name not in MODEL_SPECS:
        raise ValueError(f"Unknown model {name!r}; expected one of {', '.join(MODEL_NAMES)}.")
    return MODEL_SPECS[name]
