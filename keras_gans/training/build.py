"""Building a model the way a training run does: from a resolved config, or from a preset's name.

`train`, `Model.from_preset` and the tests all build through `build_and_compile`, so the networks,
the optimizers and the loss of a preset are the same whichever way it is reached.
"""

import keras

from keras_gans import registry
from keras_gans.training.config import EPOCH, TrainConfig


def build_and_compile(config, info, strategy):
    """Builds the model of the resolved `config` in the strategy's scope and compiles it."""
    spec = registry.get_spec(config.model)
    steps = steps_per_epoch(config, info)
    previous_policy = keras.mixed_precision.dtype_policy()
    try:
        # Layers take the global policy when they are built; variables stay float32.
        keras.mixed_precision.set_dtype_policy(config.precision)
        with strategy.scope():
            keras.utils.set_random_seed(config.seed)
            model = spec.build(config, info)
            model.compile(
                d_optimizer=_adam(spec, config, steps),
                g_optimizer=_adam(spec, config, steps),
                loss=config.loss,
                jit_compile=config.jit_compile,
                steps_per_execution=steps_per_execution(config, steps),
                ema_decay=config.ema_decay,
            )
    finally:
        keras.mixed_precision.set_dtype_policy(previous_policy)
    return model


def _adam(spec, config, steps):
    """One player's Adam: its own optimizer and learning-rate schedule, the config's betas."""
    return keras.optimizers.Adam(
        _learning_rate(spec, config, steps), beta_1=config.beta_1, beta_2=config.beta_2
    )


def _learning_rate(spec, config, steps):
    """The spec's schedule (a fresh one per optimizer), else the constant `config.learning_rate`."""
    if spec.learning_rate is None:
        return config.learning_rate
    if steps is None:
        raise ValueError(
            f"--model={config.model} keys its learning rate to epochs, but the size of "
            f"{config.dataset} is unknown: give --steps_per_epoch."
        )
    return spec.learning_rate(config, steps)


def steps_per_epoch(config, info):
    """The optimizer steps of one epoch, for the fit, the resume skip and the schedules alike.

    `config.steps_per_epoch`, else one pass over the data; None when the data's size is unknown.

    Raises:
        ValueError: If `config.steps_per_execution` does not divide it (Keras runs whole
            executions on the endless stream, so such epochs would overrun), or is `"epoch"`
            while the size is unknown.
    """
    steps = config.steps_per_epoch
    if steps is None and info.num_examples is not None:
        steps = max(1, info.num_examples // config.batch_size)
    execution = config.steps_per_execution
    if execution == EPOCH:
        if steps is None:
            raise ValueError(
                f"steps_per_execution={EPOCH!r} needs the epoch's length, but the size of "
                f"{config.dataset} is unknown: give --steps_per_epoch."
            )
        return steps
    if steps is not None and steps % execution:
        divisors = ", ".join(str(d) for d in range(1, steps + 1) if steps % d == 0)
        raise ValueError(
            f"steps_per_execution ({execution}) must divide the {steps} steps per epoch: one of "
            f"{divisors} (or set steps_per_epoch to a multiple of {execution})."
        )
    return steps


def steps_per_execution(config, steps):
    """The train steps of one call into the compiled step: `config.steps_per_execution`, with
    `"epoch"` resolved to the `steps` of an epoch (`steps_per_epoch`)."""
    return steps if config.steps_per_execution == EPOCH else config.steps_per_execution


def build_preset(preset, info=None, **overrides):
    """The model of `preset`, built and compiled as `keras-gans-train --preset=PRESET` builds it.

    Args:
        preset: A registered preset's name (`keras_gans.registry.preset_names()`).
        info: The `DatasetInfo` of the data the model is for (class count, vocabulary); default
            the preset's data's, read by making its dataset (instant for the bundled digits,
            faces and textures; TFDS presets download).
        **overrides: `TrainConfig` fields that replace the preset's (e.g. `seed`, `latent_dim`).

    Raises:
        ValueError: If the preset is unknown or an override is not a valid `TrainConfig` value.
    """
    spec = registry.spec_of_preset(preset)
    config = TrainConfig(model=spec.name, preset=preset, **overrides).resolved()
    if info is None:
        info = spec.make_dataset(config, 1)[1]
    # One device: no strategy is asked for, and keras's default one is a no-op scope.
    import tensorflow as tf

    return build_and_compile(config, info, tf.distribute.get_strategy())
