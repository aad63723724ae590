"""How the library trains, evaluates and tests a GAN (registered in this folder's `__init__`)."""

from keras_gans.models.gan.model import GAN
from keras_gans.models.gan.presets import PRESETS
from keras_gans.models.spec_helpers import image_shape, tiny_batches, unlabelled_dataset
from keras_gans.registry import ModelSpec, TinyModel


def build(config, info):
    return GAN.build(
        image_shape(config),
        config.latent_dim,
        seed=config.seed,
        augment=config.augment,
        instance_noise=config.instance_noise,
    )


def tiny(**kwargs):
    return GAN.build(image_shape=(8, 8, 1), latent_dim=8, **kwargs)


SPEC = ModelSpec(
    name="gan",
    model_class=GAN,
    presets=PRESETS,
    build=build,
    make_dataset=unlabelled_dataset,
    options=("augment", "instance_noise"),
    evaluator="digits",
    tiny_models=(TinyModel(tiny, lambda: tiny_batches(images=(8, 8, 1))),),
)
