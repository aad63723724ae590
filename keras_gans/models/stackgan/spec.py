"""How the library trains, evaluates and tests a StackGAN (registered in this folder's
`__init__`)."""

from keras_gans.data.captions import make_caption_dataset
from keras_gans.models.spec_helpers import tiny_batches
from keras_gans.models.stackgan.model import STAGE2_UPSCALE, StackGAN
from keras_gans.models.stackgan.presets import PRESETS
from keras_gans.registry import ModelSpec, TinyModel


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
        kl_weight=config.kl_weight,
        minibatch_std=config.minibatch_std,
        base_filters=config.base_filters,
        residual_blocks=config.residual_blocks,
        seed=config.seed,
        preview_captions=info.preview_captions,
        augment=config.augment,
        instance_noise=config.instance_noise,
    )
    if config.stage == 2:
        stage1 = config.stage1_model or f"runs/{config.model}/model.keras"
        return StackGAN.build(
            stage=2,
            stage1=stage1,
            image_size=config.image_size,
            refine=bool(config.refine),
            **common,
        )
    return StackGAN.build(
        stage=1,
        image_size=config.image_size,
        channels=config.channels,
        latent_dim=config.latent_dim,
        vocabulary=info.vocabulary,
        **common,
    )


TINY = dict(image_size=8, condition_dim=4, base_filters=4, minibatch_std=2)
TINY_CAPTIONS = ("a thick seven", "a one", "a thin two", "a seven", "a thick one", "a two")


def tiny_stage1(**kwargs):
    # With the built-in text encoder: trains on captions.
    return StackGAN.build(
        stage=1,
        channels=1,
        latent_dim=4,
        vocabulary=sorted({word for caption in TINY_CAPTIONS for word in caption.split()}),
        embedding_dim=6,
        sequence_length=4,
        **TINY,
        **kwargs,
    )


def tiny(**kwargs):
    # The chain from text embedding to the Stage-II image, through a Stage I (its chain, as a
    # saved config holds it: a StackGAN given must have trained). `kwargs` go to Stage II.
    stage1 = StackGAN.build(stage=1, channels=1, latent_dim=4, embedding_dim=6, **TINY)
    return StackGAN.build(
        stage=2, stage1=stage1.chain(), residual_blocks=1, refine=True, **TINY, **kwargs
    )


def tiny_caption_batches():
    import tensorflow as tf

    images = tiny_batches(images=(8, 8, 1)).unbatch()
    captions = tf.data.Dataset.from_tensor_slices(list(TINY_CAPTIONS) * 2)
    return (
        tf.data.Dataset.zip(images, captions)
        .map(lambda element, caption: {**element, "captions": caption})
        .batch(4, drop_remainder=True)
    )


SPEC = ModelSpec(
    name="stackgan",
    model_class=StackGAN,
    presets=PRESETS,
    build=build,
    make_dataset=make_dataset,
    options=(
        "base_filters",
        "stage",
        "stage1_model",
        "condition_dim",
        "kl_weight",
        "minibatch_std",
        "refine",
        "stage2_epochs",
        "residual_blocks",
        "augment",
        "instance_noise",
    ),
    learning_rate=learning_rate,
    evaluator="captioned_digits",
    tiny_models=(
        # At lr 0.1 rounding grows too fast in Stage II: after three steps 1 vs 2 replicas
        # differed by 4.7e-2 (step 1: 1.7e-6). At 0.003, 1e-7.
        TinyModel(
            tiny,
            lambda: tiny_batches(images=(32, 32, 1), embeddings=(6,)),
            variant="stage2",
            replica_learning_rate=0.003,
        ),
        TinyModel(tiny_stage1, tiny_caption_batches, variant="stage1"),
    ),
)
