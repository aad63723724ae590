"""Mixed precision, XLA, steps_per_execution and EMA: each a compile argument, each checked."""

import gan_test_case as case
import keras
import numpy as np
import pytest

from keras_gans.data import dataset_from_arrays
from keras_gans.models import DCGAN

IMAGES = np.random.default_rng(1).uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)


def data():
    return dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)


def build(policy="float32"):
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy(policy)
    try:
        keras.utils.set_random_seed(5)
        return DCGAN.build((16, 16, 1), latent_dim=8, base_filters=8)
    finally:
        keras.mixed_precision.set_dtype_policy(previous)


# mixed_bfloat16 (every model), the EMA's average, the deployed averages and the averages on
# two replicas: tests/test_every_model.py. Here mixed_float16, which adds loss scaling.
@pytest.mark.parametrize("policy, compute", [("mixed_float16", "float16")])
def test_mixed_precision_trains_and_deploys_float32(policy, compute):
    model = build(policy)
    model.compile()
    assert model.generator.layers[1].compute_dtype == compute
    assert all(v.dtype == "float32" for v in model.generator.trainable_variables)
    scaled = isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == (policy == "mixed_float16")
    case.run_fit_changes_both_networks(model, data())
    graph = model.inference_models()["generator"]
    assert all(
        layer.compute_dtype == "float32" for layer in graph.layers if hasattr(layer, "kernel")
    )
    noise = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    out = graph(noise)
    assert out.dtype == "float32"
    # The float32 copy computes what the low-precision network approximates.
    low = np.asarray(model.generator(noise), np.float32)
    assert np.max(np.abs(np.asarray(out) - low)) < 0.1


def test_xla_step_trains_both_networks():
    # XLA's Philox draws other noise than TensorFlow's kernels for run-time seeds, so the XLA
    # step is checked for training, not for equality with the plain step.
    model = build()
    model.compile(jit_compile=True)
    assert model.jit_compile is True
    case.run_fit_changes_both_networks(model, data())
    assert model.train_function is not None


def test_steps_per_execution_gives_the_same_training():
    results = []
    for steps in (1, 2):
        model = build()
        model.compile(steps_per_execution=steps)
        case.fit_one_epoch(model, data())
        assert int(model.g_optimizer.iterations) == 2
        results.append(case.weights_of(model))
    # Noise is keyed by the step counter, not by call count: the runs are identical.
    assert case.max_weight_difference(*results) < 1e-6


def test_bad_ema_decay():
    model = build()
    with pytest.raises(ValueError, match=r"ema_decay must lie in \(0, 1\); received 1.5"):
        model.compile(ema_decay=1.5)


def test_mlp_output_layers_stay_float32_under_mixed_bfloat16():
    from keras_gans.models import CGAN

    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy("mixed_bfloat16")
    try:
        model = CGAN.build((8, 8, 1), latent_dim=4, num_classes=3)
    finally:
        keras.mixed_precision.set_dtype_policy(previous)
    hidden = [layer for layer in model.generator.layers if isinstance(layer, keras.layers.Dense)]
    assert hidden[0].compute_dtype == "bfloat16"
    assert hidden[-1].compute_dtype == "float32"  # the tanh pixel layer
    assert model.discriminator.get_layer("logits").compute_dtype == "float32"
    noise = np.zeros((2, 4), np.float32)
    assert model.generator([noise, np.array([0, 2])]).dtype == "float32"
