"""How the library trains, evaluates and tests a DCGAN (registered in this folder's `__init__`)."""

from keras_gans.models.dcgan.model import DCGAN
from keras_gans.models.dcgan.presets import PRESETS
from keras_gans.models.spec_helpers import image_shape, tiny_batches, unlabelled_dataset
from keras_gans.registry import ModelSpec, TinyModel


def build(config, info):
    return DCGAN.build(
        image_shape(config),
        config.latent_dim,
        seed=config.seed,
        base_filters=config.base_filters,
        augment=config.augment,
        instance_noise=config.instance_noise,
    )


def tiny(**kwargs):
    return DCGAN.build(image_shape=(16, 16, 1), latent_dim=8, base_filters=8, **kwargs)


SPEC = ModelSpec(
    name="dcgan",
    model_class=DCGAN,
    presets=PRESETS,
    build=build,
    make_dataset=unlabelled_dataset,
    options=("base_filters", "augment", "instance_noise"),
    evaluator="digits",
    tiny_models=(TinyModel(tiny, lambda: tiny_batches(images=(16, 16, 1))),),
)
