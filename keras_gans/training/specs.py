"""What `train` needs to know of each model: its preset defaults, how to build it, its data.

A model joins the CLI and `train` by adding one `ModelSpec` to `MODEL_SPECS`.
"""

import dataclasses
from typing import Callable, Optional

from keras_gans import data as data_lib
from keras_gans.models import CGAN, DCGAN, GAN
from keras_gans.models.cgan.networks import build_conditional_discriminator, build_conditional_generator
from keras_gans.models import LAPGAN
from keras_gans.data.captions import make_caption_dataset
from keras_gans.models import StackGAN
from keras_gans.models.stackgan import STAGE2_UPSCALE
from keras_gans.data import unpaired
from keras_gans.models import CycleGAN
from keras_gans.models.cyclegan import ConstantThenLinearDecay


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """How to train one model.

    Attributes:
        defaults: Preset values of the `TrainConfig` fields left `None`.
        build: `(config, dataset_info) -> model`, called inside the strategy scope.
        make_dataset: `(config, num_replicas) -> (tf.data.Dataset, DatasetInfo)`.
        needs_labels: Whether the dataset must carry class labels.
        learning_rate: Optional `(config, steps_per_epoch) -> float or LearningRateSchedule` of
            both optimizers, keyed to the optimizer's step; `steps_per_epoch` is the number the fit
            runs (`keras_gans.training.train.steps_per_epoch`). Default the constant
            `config.learning_rate`.
    """

    defaults: dict
    build: Callable
    make_dataset: Callable
    needs_labels: bool = False
    learning_rate: Optional[Callable] = None


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
    # base_filters is the finer levels' width (paper: 128); the coarse MLPs shrink by the same
    # factor, so one flag scales the whole model. The coarse D is as wide as G (paper: 1200 / 600
    # units): the paper's D also had dropout, which per-replica randomness rules out here.
    units = (round(1200 * config.base_filters / 128),) * 2
    return LAPGAN.build(
        _shape(config), levels=config.levels, latent_dim=config.latent_dim,
        num_classes=info.num_classes if config.conditional else None,
        filters=config.base_filters, coarse_units=units, coarse_discriminator_units=units,
        seed=config.seed,
    )


def _stackgan_dataset(config, num_replicas):
    # image_size is Stage I's resolution; Stage II trains on 4x larger images.
    scale = STAGE2_UPSCALE if config.stage == 2 else 1
    return make_caption_dataset(
        config.dataset, image_size=config.image_size * scale, channels=config.channels,
        batch_size=config.batch_size, num_replicas=num_replicas, seed=config.seed,
    )


def _stackgan_learning_rate(config, steps_per_epoch):
    # The paper halves both learning rates every 50 (Stage I) / 100 (Stage II) epochs.
    import keras

    return keras.optimizers.schedules.ExponentialDecay(
        config.learning_rate, steps_per_epoch * (50 if config.stage == 1 else 100), 0.5,
        staircase=True,
    )


def _build_stackgan(config, info):
    # Below the paper's 64 -> 256 the preset keeps the structure and shrinks widths and depth:
    # Stage II (16x the pixels) gets df 6 instead of 16 unless --base_filters is given.
    small = config.image_size < 64
    default_filters = (16 if config.stage == 1 else 6) if small else 64
    common = dict(
        condition_dim=config.condition_dim, base_filters=config.base_filters or default_filters,
        residual_blocks=config.residual_blocks or (1 if small else 4), seed=config.seed,
        preview_captions=info.preview_captions,
    )
    if config.stage == 2:
        stage1 = config.stage1_model or f"runs/{config.model}/model.keras"
        return StackGAN.build(stage=2, stage1=stage1, image_size=config.image_size, **common)
    return StackGAN.build(
        stage=1, image_size=config.image_size, channels=config.channels,
        latent_dim=config.latent_dim, vocabulary=info.vocabulary, **common,
    )


def _cyclegan_dataset(config, num_replicas):
    return unpaired.make_unpaired_dataset(
        config.dataset, image_size=config.image_size, channels=config.channels,
        batch_size=config.batch_size, num_replicas=num_replicas, seed=config.seed,
    )


def _build_cyclegan(config, info):
    model = CycleGAN.build(
        _shape(config), base_filters=config.base_filters, num_blocks=config.residual_blocks,
        seed=config.seed,
    )
    # The sample grids translate the same held-out images of both domains every time.
    preview = unpaired.load_unpaired_examples(config.dataset, config.image_size, config.channels, count=4)
    model.set_preview_images(preview["image_a"], preview["image_b"])
    return model


def _cyclegan_learning_rate(config, steps_per_epoch):
    """Constant for `epochs - decay_epochs` epochs, then linear decay to 0 (resolved config)."""
    return ConstantThenLinearDecay(
        config.learning_rate, steps_per_epoch, config.epochs - config.decay_epochs, config.decay_epochs
    )


# The default CGAN generator (256, 512) drops much of each class's variety on the digits: its
# Frechet classifier distance stays 3.5x the real-versus-real baseline or more (and grows after 250
# epochs). A (1024, 1024) generator with the hinge loss and beta_1 = 0 brings it to 1.4x (seed 0;
# 1.7x with seed 1) in 200 epochs, about 2.5 minutes on 2 busy cores (keras_gans.metrics.evaluate_run);
# (512, 1024) reaches 1.9-2.1x. The discriminator keeps the paper's size: narrower is worse.
CGAN_GENERATOR_UNITS = (1024, 1024)


def _build_cgan(config, info):
    shape = _shape(config)
    return CGAN(
        build_conditional_generator(config.latent_dim, shape, info.num_classes, units=CGAN_GENERATOR_UNITS),
        build_conditional_discriminator(shape, info.num_classes),
        num_classes=info.num_classes,
        seed=config.seed,
    )


_DIGITS = {"dataset": "digits", "channels": 1, "image_size": 16, "batch_size": 64}

MODEL_SPECS = {
    "gan": ModelSpec(
        defaults={**_DIGITS, "epochs": 100, "latent_dim": 64},
        build=lambda config, info: GAN.build(_shape(config), config.latent_dim, seed=config.seed),
        make_dataset=_unlabelled_dataset,
    ),
    # CPU preset: the paper's conditional MLPs with a wider generator, hinge loss and Adam
    # beta_1 = 0; see _build_cgan.
    "cgan": ModelSpec(
        defaults={**_DIGITS, "epochs": 200, "latent_dim": 64, "loss": "hinge", "beta_1": 0.0},
        build=_build_cgan,
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
            "dataset": "faces", "channels": 1, "image_size": 32, "batch_size": 20, "epochs": 180,
            "latent_dim": 100, "levels": 3, "base_filters": 32, "conditional": False,
        },
        build=_build_lapgan,
        make_dataset=_lapgan_dataset,
    ),
    # CPU preset: captioned digits, Stage I 16x16, Stage II 64x64, widths shrunk (paper: df 64).
    "stackgan": ModelSpec(
        defaults={
            **_DIGITS, "epochs": 20, "latent_dim": 32, "condition_dim": 32, "stage": 1,
        },
        build=_build_stackgan,
        make_dataset=_stackgan_dataset,
        learning_rate=_stackgan_learning_rate,
    ),
    # CPU preset (flags/cyclegan.cfg): grass <-> gravel textures at 32x32, 6 blocks, ngf = ndf = 12
    # (paper: 64), batch 8 and Adam 1e-3 for a 640-step run (paper: batch 1, 2e-4, ~200k steps);
    # flags/cyclegan_horse2zebra.cfg is the paper's setting. decay_epochs is not preset: one not
    # given is half the epochs (TrainConfig.with_defaults), so --epochs=1 trains too; the flagfile
    # gives 4 of its 10.
    "cyclegan": ModelSpec(
        defaults={
            "dataset": "textures", "channels": 1, "image_size": 32, "batch_size": 8, "epochs": 10,
            "base_filters": 12, "residual_blocks": 6, "loss": "least_squares",
            "learning_rate": 1e-3,
        },
        build=_build_cyclegan,
        make_dataset=_cyclegan_dataset,
        learning_rate=_cyclegan_learning_rate,
    ),
}

MODEL_NAMES = tuple(MODEL_SPECS)


def get_spec(name):
    """The `ModelSpec` of `name`; a ValueError lists the known models."""
    if name not in MODEL_SPECS:
        raise ValueError(f"Unknown model {name!r}; expected one of {', '.join(MODEL_NAMES)}.")
    return MODEL_SPECS[name]
