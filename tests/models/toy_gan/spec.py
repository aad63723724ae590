"""How the library trains, evaluates and tests a ToyGAN."""

from keras_gans.models.spec_helpers import image_shape, tiny_batches, unlabelled_dataset
from keras_gans.registry import ModelSpec, TinyModel
from toy_gan.model import ToyGAN
from toy_gan.presets import PRESETS


def build(config, info):
    return ToyGAN.build(image_shape(config), config.latent_dim, seed=config.seed)


def tiny():
    return ToyGAN.build(image_shape=(8, 8, 1), latent_dim=4, units=8)


SPEC = ModelSpec(
    name="toy",
    model_class=ToyGAN,
    presets=PRESETS,
    build=build,
    make_dataset=unlabelled_dataset,
    evaluator="digits",
    tiny_models=(TinyModel(tiny, lambda: tiny_batches(images=(8, 8, 1))),),
)
