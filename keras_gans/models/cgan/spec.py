"""How the library trains, evaluates and tests a CGAN (registered in this folder's `__init__`)."""

from keras_gans.models.cgan.model import CGAN
from keras_gans.models.cgan.presets import PRESETS
from keras_gans.models.spec_helpers import image_shape, labelled_dataset, tiny_batches
from keras_gans.registry import ModelSpec, TinyModel

OPTIONS = ("architecture", "base_filters", "augment", "instance_noise")


def build(config, info):
    # Options left unset take `CGAN.build`'s defaults (the MLP for the default `cgan` preset).
    options = {name: getattr(config, name) for name in OPTIONS if getattr(config, name) is not None}
    return CGAN.build(
        image_shape(config), config.latent_dim, info.num_classes, seed=config.seed, **options
    )


def tiny(**kwargs):
    return CGAN.build(
        image_shape=(8, 8, 1), latent_dim=8, num_classes=3, generator_units=(16, 32), **kwargs
    )


def tiny_conv(**kwargs):
    return CGAN.build(
        image_shape=(8, 8, 1),
        latent_dim=8,
        num_classes=3,
        architecture="conv",
        base_filters=4,
        **kwargs,
    )


def tiny_dataset():
    return tiny_batches(images=(8, 8, 1), labels=(3,))


SPEC = ModelSpec(
    name="cgan",
    model_class=CGAN,
    presets=PRESETS,
    build=build,
    make_dataset=labelled_dataset,
    options=OPTIONS,
    evaluator="digits",
    tiny_models=(
        TinyModel(tiny, tiny_dataset),
        TinyModel(tiny_conv, tiny_dataset, "conv"),
    ),
)
