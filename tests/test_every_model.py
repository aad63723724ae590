"""The shared test driver: every registered model's tiny instances, through the same checks.

Each `TinyModel` of a `ModelSpec` (keras_gans/models/<name>/spec.py) is trained for one epoch, saved
and rebuilt, trained on 1 and 2 replicas (DiffAugment and instance noise on), trained in mixed
bfloat16 with an EMA, and exported. A new model joins by registering its spec with
`tiny_models`; nothing here lists models. Model specific checks (losses by hand, pools,
pyramids, captions) stay in the model's test folder.
"""

import functools

import gan_test_case as case
import keras
import numpy as np
import pytest

from keras_gans import inference, registry
from keras_gans.export import export_model
from keras_gans.export.inputs import random_inputs

TINY = {
    "-".join(filter(None, (spec.name, tiny.variant))): tiny
    for spec in registry.specs()
    for tiny in spec.tiny_models
}
EMA_DECAY = 0.5
AUGMENT = "color,translation,cutout"
INSTANCE_NOISE = 0.1


def graph_feeds(model, count=3, seed=0):
    """`{graph name: {input name: random array}}` of every deployable graph."""
    classes = getattr(model, "num_classes", None)
    feeds = {}
    for name, graph in model.inference_models().items():
        specs = inference.keras_input_specs(graph, classes)
        # Inputs of open size (CycleGAN's images of any size) at the size the model trains on.
        sizes = {s.name: tuple(model.image_shape) for s in specs if None in s.shape[1:]}
        feeds[name] = random_inputs(specs, count, seed=seed, shapes=sizes)
    return feeds


def graph_outputs(model, feeds):
    return {name: model.generate(feed, graph=name)["images"] for name, feed in feeds.items()}


def call_inputs(model):
    """Inputs of `model(...)`: the first graph's random feed, in its input order."""
    name, graph = next(iter(model.inference_models().items()))
    feed = graph_feeds(model)[name]
    values = [feed[tensor.name] for tensor in graph.inputs]
    return values[0] if len(values) == 1 else values


def built_under(policy, tiny):
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy(policy)
    try:
        keras.utils.set_random_seed(1)
        return tiny.build()
    finally:
        keras.mixed_precision.set_dtype_policy(previous)


@pytest.fixture(scope="module", params=sorted(TINY))
def replica_run(request, two_replica_strategy):
    """A `DistributionRun`: 3 SGD steps with an EMA on one device and on two replicas, found
    equal (the averages too). DiffAugment is on, with every transform, and instance noise: their
    draws must be keyed by global rows, so both runs augment each image alike (off, they are the
    identity)."""
    tiny = TINY[request.param]
    return case.run_distribution_equality(
        functools.partial(tiny.build, augment=AUGMENT, instance_noise=INSTANCE_NOISE),
        tiny.dataset(),
        two_replica_strategy,
        learning_rate=tiny.replica_learning_rate,
        ema_decay=EMA_DECAY,
    )


@pytest.fixture(scope="module", params=sorted(TINY))
def mixed_ema(request):
    """`(model, generator-side weights before, after)`: one mixed_bfloat16 step with an EMA."""
    tiny = TINY[request.param]
    model = built_under("mixed_bfloat16", tiny)
    model.compile(ema_decay=EMA_DECAY)
    assert model.uses_ema()
    before = [np.array(v) for v in model._ema_sources()]
    history = model.fit(tiny.dataset(), epochs=1, steps_per_epoch=1, verbose=0).history
    for name, values in history.items():
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    return model, before, [np.array(v) for v in model._ema_sources()]


def test_sgd_steps_equal_on_two_replicas(replica_run):
    assert replica_run.difference < 1e-5  # the fixture's `run_distribution_equality` checked it


def test_fit_changes_both_networks(replica_run):
    model = replica_run.single
    assert int(model.d_optimizer.iterations) == int(model.g_optimizer.iterations) == 3
    for name, values in model.history.history.items():
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    assert {"d_loss", "g_loss"} <= set(model.history.history)
    case.assert_both_networks_moved(model, replica_run.initial)


def test_config_and_keras_round_trips(replica_run, tmp_path):
    model = replica_run.single
    assert model.uses_ema()  # the averages, deployed, must survive too
    inputs = call_inputs(model)
    case.run_config_round_trip(model, inputs)
    restored = case.run_saving_test(model, tmp_path, inputs)
    # Every deployable graph, not only the one `call` runs, computes the same after loading.
    feeds = graph_feeds(model)
    for name, images in graph_outputs(restored, feeds).items():
        np.testing.assert_array_equal(images, graph_outputs(model, feeds)[name], err_msg=name)


def test_mixed_bfloat16_step_deploys_float32(mixed_ema):
    model, _, _ = mixed_ema
    layers = [layer for layer in model._flatten_layers() if hasattr(layer, "kernel")]
    assert any(layer.compute_dtype == "bfloat16" for layer in layers)
    for name, graph in model.inference_models().items():
        layers = [layer for layer in graph._flatten_layers() if hasattr(layer, "kernel")]
        computing = {layer.compute_dtype for layer in layers}
        assert computing == {"float32"}, (name, computing)
    for name, images in graph_outputs(model, graph_feeds(model)).items():
        assert images.dtype == np.float32 and np.all(np.isfinite(images)), name


def test_ema_is_the_average_and_the_deployable_graphs_use_it(mixed_ema):
    model, before, after = mixed_ema
    averages = [np.asarray(v) for v in model._ema_weights]
    for average, w0, w1 in zip(averages, before, after):
        expected = EMA_DECAY * w0 + (1 - EMA_DECAY) * w1
        np.testing.assert_allclose(average, expected, rtol=1e-5, atol=1e-7)
    moved = [a for a, w1 in zip(averages, after) if not np.allclose(a, w1)]
    assert moved, "the step moved no generator-side weight"
    # Every average that differs from the trained weight is a weight of some deployable graph.
    graphs = model.generation_graphs().values()
    deployed = [np.asarray(w) for graph in graphs for w in graph.weights]
    missing = [
        i
        for i, average in enumerate(moved)
        if not any(w.shape == average.shape and np.array_equal(w, average) for w in deployed)
    ]
    assert not missing, f"{len(missing)} of {len(moved)} averages are in no deployable graph"


def test_onnx_export_of_the_mixed_ema_model_matches_keras(mixed_ema, tmp_path):
    model, _, _ = mixed_ema
    # One graph and one batch size keep this cheap; tests/export covers every graph and format.
    name, graph = next(iter(model.inference_models().items()))
    # A dict of graphs has no training model to size open inputs (CycleGAN's): name the size.
    sizes = {t.name: tuple(model.image_shape) for t in graph.inputs if None in t.shape[1:]}
    result = export_model(
        {name: graph}, tmp_path, formats=("onnx",), batch_sizes=(2,), input_shapes=sizes
    )
    assert [r.passed for r in result.parity[name]] == [True]
