"""CycleGAN's learning rate: constant, then a linear decay to zero."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gans")
class ConstantThenLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """`initial_learning_rate` for `constant_epochs`, then linearly down to 0 over `decay_epochs`.

    Zhu et al. 2017 (https://arxiv.org/abs/1703.10593, section 4): Adam at 2e-4 for 100 epochs,
    then linear decay to zero over the next 100. The schedule is keyed on optimizer steps and
    decays every step (the reference code steps once per epoch), so the rate reaches exactly zero
    at step `(constant_epochs + decay_epochs) * steps_per_epoch` and stays there.

    Args:
        initial_learning_rate: The constant rate.
        steps_per_epoch: Optimizer steps per epoch.
        constant_epochs: Epochs at the constant rate.
        decay_epochs: Epochs of the decay; 0 keeps the rate constant throughout.

    Example:
        >>> schedule = ConstantThenLinearDecay(2e-4, steps_per_epoch=1000, constant_epochs=100,
        ...                                    decay_epochs=100)
        >>> round(float(schedule(150_000)), 10)  # half way through the decay
        0.0001
    """

    def __init__(self, initial_learning_rate, steps_per_epoch, constant_epochs, decay_epochs):
        if not initial_learning_rate > 0:
            raise ValueError(
                f"initial_learning_rate must be positive; received {initial_learning_rate!r}."
            )
        for name, value, minimum in (
            ("steps_per_epoch", steps_per_epoch, 1),
            ("constant_epochs", constant_epochs, 0),
            ("decay_epochs", decay_epochs, 0),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ValueError(f"{name} must be an integer >= {minimum}; received {value!r}.")
        self.initial_learning_rate = float(initial_learning_rate)
        self.steps_per_epoch = steps_per_epoch
        self.constant_epochs = constant_epochs
        self.decay_epochs = decay_epochs

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        if self.decay_epochs == 0:
            return tf.fill(tf.shape(step), self.initial_learning_rate)
        decay_start = float(self.constant_epochs * self.steps_per_epoch)
        decay_steps = float(self.decay_epochs * self.steps_per_epoch)
        fraction_left = tf.clip_by_value(1.0 - (step - decay_start) / decay_steps, 0.0, 1.0)
        return self.initial_learning_rate * fraction_left

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "steps_per_epoch": self.steps_per_epoch,
            "constant_epochs": self.constant_epochs,
            "decay_epochs": self.decay_epochs,
        }
