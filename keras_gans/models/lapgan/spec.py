"""How the library trains, evaluates and tests a LAPGAN (registered in this folder's `__init__`)."""

from keras_gans.models.lapgan.model import LAPGAN
from keras_gans.models.lapgan.presets import PRESETS
from keras_gans.models.spec_helpers import image_dataset, image_shape, tiny_batches
from keras_gans.registry import ModelSpec, TinyModel


def make_dataset(config, num_replicas):
    # Labels only for the class-conditional variant; the faces carry none.
    return image_dataset(config, num_replicas, with_labels=bool(config.conditional))


def coarse_widths(coarse_units):
    """`LAPGAN.build`'s coarse widths for `TrainConfig.coarse_units`: the generator's two layers,
    the discriminator's half and quarter (None: the builder's default)."""
    if coarse_units is None:
        return {}
    return {
        "coarse_units": (coarse_units, coarse_units),
        "coarse_discriminator_units": (coarse_units // 2, coarse_units // 4),
    }


def build(config, info):
    return LAPGAN.build(
        image_shape(config),
        levels=config.levels,
        latent_dim=config.latent_dim,
        num_classes=info.num_classes if config.conditional else None,
        filters=config.base_filters,
        seed=config.seed,
        augment=config.augment,
        instance_noise=config.instance_noise,
        **coarse_widths(config.coarse_units),
    )


def tiny(**kwargs):
    # Conditional, 3 levels 4 -> 8 -> 16: exports the sampler and the super-resolution chain.
    # `kwargs` go to the constructor (`augment`).
    return LAPGAN.build(
        image_shape=(16, 16, 1),
        levels=3,
        latent_dim=8,
        num_classes=3,
        filters=4,
        coarse_units=(16,),
        coarse_discriminator_units=(16,),
        **kwargs,
    )


SPEC = ModelSpec(
    name="lapgan",
    model_class=LAPGAN,
    presets=PRESETS,
    build=build,
    make_dataset=make_dataset,
    options=("base_filters", "levels", "conditional", "coarse_units", "augment", "instance_noise"),
    evaluator="digits",
    tiny_models=(TinyModel(tiny, lambda: tiny_batches(images=(16, 16, 1), labels=(3,))),),
)
