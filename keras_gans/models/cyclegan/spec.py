"""How the library trains, evaluates and tests a CycleGAN (registered in this folder's
`__init__`)."""

from keras_gans.data import unpaired
from keras_gans.models.cyclegan.model import CycleGAN
from keras_gans.models.cyclegan.networks import build_patch_discriminator, build_resnet_generator
from keras_gans.models.cyclegan.presets import PRESETS
from keras_gans.models.cyclegan.schedule import ConstantThenLinearDecay
from keras_gans.models.spec_helpers import image_shape, tiny_batches
from keras_gans.registry import ModelSpec, TinyModel


def make_dataset(config, num_replicas):
    return unpaired.make_unpaired_dataset(
        config.dataset,
        image_size=config.image_size,
        channels=config.channels,
        batch_size=config.batch_size,
        num_replicas=num_replicas,
        seed=config.seed,
        resize=config.resize,
    )


def build(config, info):
    model = CycleGAN.build(
        image_shape(config),
        base_filters=config.base_filters,
        num_blocks=config.residual_blocks,
        seed=config.seed,
        augment=config.augment,
        instance_noise=config.instance_noise,
    )
    # The sample grids translate the same held-out images of both domains every time.
    preview = unpaired.load_unpaired_examples(
        config.dataset, config.image_size, config.channels, count=4, resize=config.resize
    )
    model.set_preview_images(preview["image_a"], preview["image_b"])
    return model


def learning_rate(config, steps_per_epoch):
    """Constant for `epochs - decay_epochs` epochs, then linear decay to 0 (resolved config)."""
    return ConstantThenLinearDecay(
        config.learning_rate,
        steps_per_epoch,
        config.epochs - config.decay_epochs,
        config.decay_epochs,
    )


def tiny(pool_size=3, **kwargs):
    """16x16 grey; generators with 4 filters and 1 residual block, 2-layer PatchGANs.

    Both directions (a_to_b, b_to_a): reflection padding and instance norm must export.
    `kwargs` go to the constructor (`cycle_weight`, `identity_weight`, `seed`, `augment`).
    """
    return CycleGAN(
        build_resnet_generator(16, 1, 4, 1, "image_a", "generator_ab"),
        build_resnet_generator(16, 1, 4, 1, "image_b", "generator_ba"),
        build_patch_discriminator(16, 1, 4, num_layers=2, name="discriminator_a"),
        build_patch_discriminator(16, 1, 4, num_layers=2, name="discriminator_b"),
        pool_size=pool_size,
        **kwargs,
    )


SPEC = ModelSpec(
    name="cyclegan",
    model_class=CycleGAN,
    presets=PRESETS,
    build=build,
    make_dataset=make_dataset,
    options=("base_filters", "residual_blocks", "decay_epochs", "augment", "instance_noise"),
    learning_rate=learning_rate,
    evaluator="translation",
    # lr 0.1 moves weights by 0.5 in one step (cycle weight 10): there a 1e-7 nudge of one
    # device's weights grows to 5e-2 in three steps. At 0.003 the two runs still differed by
    # 3.4e-4 on an AVX2 EPYC with Grappler off (as in the test workers); at 0.001 by 8e-7, with
    # the sides moving by 2.6e-3 and 9.1e-3, far above the check's 1e-5.
    tiny_models=(
        TinyModel(
            tiny,
            lambda: tiny_batches(image_a=(16, 16, 1), image_b=(16, 16, 1)),
            replica_learning_rate=0.001,
        ),
    ),
)
