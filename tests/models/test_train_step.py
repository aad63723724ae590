"""The shared `train_step` against a step computed by hand (dcgan.torch's order of updates)."""

import gan_test_case as case
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import losses
from keras_gans.data import dataset_from_arrays
from keras_gans.models import CGAN, DCGAN, GAN

LEARNING_RATE = 0.1
IMAGES = np.random.default_rng(1).uniform(-1, 1, (8, 8, 8, 1)).astype(np.float32)
LABELS = (np.arange(8) % 4).astype(np.int32)


def _build(name, **kwargs):
    if name == "gan":
        return GAN.build((8, 8, 1), latent_dim=4, seed=3, **kwargs)
    if name == "cgan":
        return CGAN.build((8, 8, 1), latent_dim=4, num_classes=4, seed=3, **kwargs)
    return DCGAN.build((8, 8, 1), latent_dim=4, base_filters=4, seed=3, **kwargs)


def _sgd_step(variables, loss_fn):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for variable, gradient in zip(variables, tape.gradient(loss, variables)):
        variable.assign_sub(LEARNING_RATE * tf.convert_to_tensor(gradient))  # embeddings: sparse


@pytest.mark.parametrize(
    "name, share",
    [("gan", True), ("dcgan", True), ("cgan", False), ("cgan", True), ("gan", False)],
)
def test_one_step_is_the_hand_computed_update(name, share):
    """D steps on real and G(z); then G steps against the updated D.

    With a shared pass (the GAN and DCGAN default) the generator side backpropagates through the
    same G(z), so one noise draw feeds both sides; without it (the CGAN default) the generator side
    draws its own noise from the step's second stream. Swapping the two fails this test.
    """
    keras.utils.set_random_seed(0)
    model = _build(name, share_generator_pass=share)
    assert model.get_config()["share_generator_pass"] is share
    model.compile(
        d_optimizer=keras.optimizers.SGD(LEARNING_RATE),
        g_optimizer=keras.optimizers.SGD(LEARNING_RATE),
        loss="non_saturating",
    )
    generator = keras.models.clone_model(model.generator)
    generator.set_weights(model.generator.get_weights())
    discriminator = keras.models.clone_model(model.discriminator)
    discriminator.set_weights(model.discriminator.get_weights())

    conditional = name == "cgan"
    labels = tf.constant(LABELS)
    inputs = (lambda x: [x, labels]) if conditional else (lambda x: x)
    step = tf.constant(0, tf.int64)
    noise = model.normal(len(IMAGES), [model.latent_dim], step, 0)
    generator_noise = noise if share else model.normal(len(IMAGES), [model.latent_dim], step, 1)
    fake = generator(inputs(noise), training=True)
    _sgd_step(
        discriminator.trainable_variables,
        lambda: tf.reduce_mean(
            losses.non_saturating_discriminator_loss(
                discriminator(inputs(tf.constant(IMAGES)), training=True),
                discriminator(inputs(tf.stop_gradient(fake)), training=True),
            )
        ),
    )
    _sgd_step(
        generator.trainable_variables,
        lambda: tf.reduce_mean(
            losses.non_saturating_generator_loss(
                discriminator(
                    inputs(generator(inputs(generator_noise), training=True)), training=True
                )
            )
        ),
    )

    if conditional:
        data = dataset_from_arrays(IMAGES, LABELS, num_classes=4, batch_size=8, shuffle=False)
    else:
        data = dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)
    model.fit(data, epochs=1, verbose=0, shuffle=False)

    # The hand-computed generator ran forward twice (batch statistics of DCGAN's BatchNormalization
    # updated twice); the skeleton runs it once, so compare trainable weights only.
    expected = [
        np.array(v) for v in generator.trainable_variables + discriminator.trainable_variables
    ]
    received = [np.array(v) for v in model.generator_variables() + model.discriminator_variables()]
    assert case.max_weight_difference(expected, received) < 1e-6
