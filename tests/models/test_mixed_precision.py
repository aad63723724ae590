"""Mixed precision: pixels and logits stay float32 in every model, and loss scaling is global.

Under `mixed_bfloat16` / `mixed_float16` the hidden layers compute in 16 bits, but every
generator's images (LAPGAN: residuals and level images) and every discriminator's logits come out
float32; the losses compare them in float32.
"""

import gan_test_case as case
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import dataset_from_arrays
from keras_gans.models import CGAN, DCGAN, GAN, LAPGAN, CycleGAN, StackGAN

POLICIES = {"mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}


def _stackgan_stages():
    stage1 = case.tiny_embedding_stackgan()
    # Its chain, as a saved config holds it (a StackGAN given must have trained).
    stage2 = StackGAN.build(
        stage=2,
        stage1=stage1.chain(),
        condition_dim=4,
        base_filters=4,
        residual_blocks=1,
        minibatch_std=2,
    )
    return stage1, stage2


def _networks(name):
    """`(model, generators, discriminators)` of a tiny `name` model (StackGAN: both stages)."""
    if name == "gan":
        model = GAN.build(image_shape=(8, 8, 1), latent_dim=4)
    elif name == "cgan":
        model = CGAN.build(image_shape=(8, 8, 1), latent_dim=4, num_classes=3)
    elif name == "dcgan":
        model = DCGAN.build((16, 16, 1), latent_dim=4, base_filters=4)
    elif name == "stackgan":
        stage1, stage2 = _stackgan_stages()
        # Stage II's generator reads the frozen Stage-I chain's images.
        generators = [stage1.generator, stage2.generator, stage2.stage1]
        return stage2, generators, [stage1.discriminator, stage2.discriminator]
    elif name == "lapgan":
        model = LAPGAN.build(
            image_shape=(16, 16, 1),
            levels=3,
            latent_dim=4,
            num_classes=3,
            filters=4,
            coarse_units=(8,),
            coarse_discriminator_units=(8,),
        )
        return (
            model,
            model.generators + [model.sampling_chain(all_levels=True)],
            model.discriminators,
        )
    elif name == "cyclegan":
        model = CycleGAN.build(image_shape=(32, 32, 1), base_filters=4, num_blocks=1)
        return (
            model,
            [model.generator_ab, model.generator_ba],
            [model.discriminator_a, model.discriminator_b],
        )
    return model, [model.generator], [model.discriminator]


def _inputs(network, batch=2):
    rng = np.random.default_rng(0)
    inputs = [
        np.zeros((batch,), "int32")
        if "int" in str(t.dtype)
        else rng.uniform(-1, 1, (batch, *t.shape[1:])).astype("float32")
        for t in network.inputs
    ]
    return inputs[0] if len(inputs) == 1 else inputs


def _output_dtypes(network):
    outputs = network(_inputs(network), training=True)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [keras.backend.standardize_dtype(output.dtype) for output in outputs]


def _built_under(policy, name):
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy(policy)
    try:
        keras.utils.set_random_seed(1)
        return _networks(name)
    finally:
        keras.mixed_precision.set_dtype_policy(previous)


# Which layers stay float32 does not depend on the 16-bit type: mixed_bfloat16 training and its
# float32 deployables are checked for every model in tests/test_every_model.py.
@pytest.mark.parametrize("policy", ["mixed_float16"])
@pytest.mark.parametrize("name", ["gan", "cgan", "dcgan", "stackgan", "lapgan", "cyclegan"])
def test_images_and_logits_are_float32_under_mixed_policies(name, policy):
    model, generators, discriminators = _built_under(policy, name)
    networks = generators + discriminators
    # The hidden layers do compute in low precision ...
    for network in networks:
        assert any(
            layer.compute_dtype == POLICIES[policy] for layer in network._flatten_layers()
        ), network.name
    # ... but what leaves a network is float32.
    seen = {network.name: _output_dtypes(network) for network in networks}
    assert seen == {name: ["float32"] * len(dtypes) for name, dtypes in seen.items()}
    if name == "lapgan":
        # The real pyramid (each level's target residual) is float32 as well.
        batch = model.prepare_batch((np.zeros((2, 16, 16, 1), "float32"), np.zeros((2,), "int32")))
        assert {keras.backend.standardize_dtype(t.dtype) for t in batch["targets"]} == {"float32"}


class _InfOnReplicaOne(GAN):
    """A GAN whose discriminator loss is infinite on replica 1 (only) at the first step."""

    def discriminator_losses(self, batch, step):
        terms = super().discriminator_losses(batch, step)
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        poisoned = tf.logical_and(tf.equal(replica, 1), tf.equal(step, 0))
        factor = tf.where(poisoned, float("inf"), 1.0)
        return {name: value * factor for name, value in terms.items()}


def _replica_values(variable):
    """The numpy value of a (Keras) mirrored variable on each replica."""
    return [np.asarray(x) for x in variable.value.values]


def _per_replica(variables):
    """`[replica][variable]` numpy values of mirrored variables."""
    return [list(replica) for replica in zip(*map(_replica_values, variables))]


def test_an_overflow_on_one_replica_skips_the_step_on_every_replica(two_replica_strategy):
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    try:
        with two_replica_strategy.scope():
            keras.utils.set_random_seed(3)
            model = _InfOnReplicaOne.build(image_shape=(4, 4, 1), latent_dim=4)
            model.compile(
                d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1)
            )
    finally:
        keras.mixed_precision.set_dtype_policy(previous)
    assert isinstance(model.d_optimizer, keras.optimizers.LossScaleOptimizer)
    d_before = [np.asarray(v) for v in model.discriminator_variables()]
    g_before = [np.asarray(v) for v in model.generator_variables()]
    scale = float(np.asarray(model.d_optimizer.dynamic_scale))
    images = np.random.default_rng(0).uniform(-1, 1, (8, 4, 4, 1)).astype("float32")
    model.fit(
        dataset_from_arrays(images, batch_size=8, shuffle=False),
        epochs=1,
        steps_per_epoch=1,
        verbose=0,
    )
    # The discriminator step is skipped on both replicas: weights as they were, scale halved.
    d_after = _per_replica(model.discriminator_variables())
    for replica, weights in enumerate(d_after):
        change = max(float(np.max(np.abs(a - b))) for a, b in zip(weights, d_before))
        assert change == 0.0, f"replica {replica} moved the discriminator by {change}"
    assert [float(s) for s in _replica_values(model.d_optimizer.dynamic_scale)] == [scale / 2] * 2
    assert int(np.asarray(model.d_optimizer.iterations)) == 0
    # The generator side overflowed nowhere: it stepped, the same on both replicas.
    g_after = _per_replica(model.generator_variables())
    assert max(float(np.max(np.abs(a - b))) for a, b in zip(g_after[0], g_before)) > 0
    assert all(np.array_equal(a, b) for a, b in zip(*g_after))
