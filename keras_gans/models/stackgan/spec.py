"""How the library trains, evaluates and tests a StackGAN (registered in this folder's
`__init__`)."""

from keras_gans.data.captions import make_caption_dataset
from keras_gans.models.stackgan.model import STAGE2_UPSCALE, StackGAN
from keras_gans.models.stackgan.presets import PRESETS
from keras_gans.registry import ModelSpec


def make_dataset(config, num_replicas):
    # image_size is Stage I's resolution; Stage II trains on 4x larger images.
    scale = STAGE2_UPSCALE if config.stage == 2 else 1
    return make_caption_dataset(
        config.dataset,
        image_size=config.image_size * scale,
        channels=config.channels,
        batch_size=config.batch_size,
        num_replicas=num_replicas,
        seed=config.seed,
    )


def learning_rate(config, steps_per_epoch):
    # The paper halves both learning rates every 50 (Stage I) / 100 (Stage II) epochs.
    import keras

    return keras.optimizers.schedules.ExponentialDecay(
        config.learning_rate,
        steps_per_epoch * (50 if config.stage == 1 else 100),
        0.5,
        staircase=True,
    )


def build(config, info):
    common = dict(
        condition_dim=config.condition_dim,
        base_filters=config.base_filters,
        residual_blocks=config.residual_blocks,
        seed=config.seed,
        preview_captions=info.preview_captions,
    )
    if config.stage == 2:
        stage1 = config.stage1_model or f"runs/{config.model}/model.keras"
        return StackGAN.build(stage=2, stage1=stage1, image_size=config.image_size, **common)
    return StackGAN.build(
        stage=1,
        image_size=config.image_size,
        channels=config.channels,
        latent_dim=config.latent_dim,
        vocabulary=info.vocabulary,
        **common,
    )


def tiny():
    # The chain from text embedding to the Stage-II image, through a Stage I.
    stage1 = StackGAN.build(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        condition_dim=4,
        embedding_dim=6,
        base_filters=4,
    )
    return StackGAN.build(
        stage=2,
        stage1=stage1.chain(),
        image_size=8,
        condition_dim=4,
        base_filters=4,
        residual_blocks=1,
    )


SPEC = ModelSpec(
    name="stackgan",
    model_class=StackGAN,
    presets=PRESETS,
    build=build,
    make_dataset=make_dataset,
    options=("base_filters", "stage", "stage1_model", "condition_dim", "residual_blocks"),
    learning_rate=learning_rate,
    evaluator="captioned_digits",
    test_factory=tiny,
)
