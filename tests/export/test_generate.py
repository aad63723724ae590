"""`generate`: the one inference call of every training model, and of its exports."""

import re

import numpy as np
import pytest
from model_factories import MODEL_FACTORIES, build

from keras_gans import inference
from keras_gans.export import OnnxRunner, ParityError, export_model, load_generator
from keras_gans.export.inputs import random_inputs


def model_sizes(model, specs):
    """Inputs of open size (CycleGAN's images of any size) at the size `generate` takes."""
    return {s.name: tuple(model.image_shape) for s in specs if None in s.shape[1:]}


def needed_inputs(model, specs, num_images, seed=0):
    """Random values for the inputs `generate` cannot draw (images, embeddings); None if none."""
    needed = [s for s in specs if not s.is_noise and not (s.is_integer and s.num_classes)]
    if not needed:
        return None
    return random_inputs(needed, num_images, seed=seed, shapes=model_sizes(model, needed))


def graph_specs(model, graph):
    return inference.keras_input_specs(graph, getattr(model, "num_classes", None))


@pytest.fixture(scope="module", params=[f.name for f in MODEL_FACTORIES])
def model(request):
    return build(request.param)


def test_generate_is_the_inference_graph_on_named_inputs(model):
    for name, graph in model.inference_models().items():
        specs = graph_specs(model, graph)
        feed = random_inputs(specs, 3, seed=11, shapes=model_sizes(model, specs))
        values = [feed[s.name] for s in specs]
        direct = np.asarray(graph(values if len(values) > 1 else values[0], training=False))
        outputs = model.generate(feed, graph=name)
        assert list(outputs) == ["images"]
        np.testing.assert_allclose(outputs["images"], direct, atol=1e-6, rtol=0)


def test_left_out_noise_is_drawn_by_name_from_the_seed(model):
    name, graph = next(iter(model.inference_models().items()))
    specs = graph_specs(model, graph)
    given = needed_inputs(model, specs, 4)
    images = model.generate(given, num_images=4, seed=3)["images"]
    shape = graph.outputs[0].shape[1:]
    assert images.shape == (4, *(model.image_shape if None in shape else shape))
    np.testing.assert_array_equal(images, model.generate(given, num_images=4, seed=3)["images"])
    # Noise is drawn per input name: passing the documented draws explicitly changes nothing.
    drawn = {s.name: inference.draw_noise(s, 4, seed=3) for s in specs if s.is_noise}
    np.testing.assert_allclose(
        model.generate({**(given or {}), **drawn}, graph=name)["images"], images, atol=1e-6, rtol=0
    )
    # The batch split does not change the draws (float kernels may differ by batch size).
    np.testing.assert_allclose(
        model.generate(given, num_images=4, seed=3, batch_size=3)["images"],
        images,
        atol=1e-5,
        rtol=0,
    )
    if drawn:
        assert not np.allclose(model.generate(given, num_images=4, seed=4)["images"], images)


def test_labels_left_out_cycle_through_the_classes():
    cgan = build("cgan")
    np.testing.assert_array_equal(
        cgan.generate(num_images=5, seed=2)["images"],
        cgan.generate({"labels": [0, 1, 2, 0, 1]}, seed=2)["images"],
    )
    np.testing.assert_array_equal(
        cgan.sample(labels=[2, 0], seed=2), cgan.generate({"labels": [2, 0]}, seed=2)["images"]
    )


def test_the_given_inputs_pick_the_graph():
    cyclegan, lapgan = build("cyclegan"), build("lapgan")
    images = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 1)).astype(np.float32)
    np.testing.assert_array_equal(
        cyclegan.generate({"image_b": images})["images"], cyclegan.translate(images, "b_to_a")
    )
    coarse = np.zeros((2, 4, 4, 1), np.float32)
    np.testing.assert_array_equal(
        lapgan.generate({"coarse_images": coarse}, seed=1)["images"],
        lapgan.generate({"coarse_images": coarse}, seed=1, graph="super_resolution")["images"],
    )


@pytest.mark.parametrize(
    "factory, call, message",
    [
        (
            "cgan",
            dict(inputs={"label": [1]}),
            "No graph of CGAN can run on inputs ['label']: generator takes noise, labels",
        ),
        (
            "cgan",
            dict(inputs={"labels": [0, 3]}),
            "labels must lie in [0, 3); received min 0, max 3.",
        ),
        (
            "cgan",
            dict(inputs={"noise": np.zeros((2, 5))}),
            "noise must have shape [batch, 8]; received (2, 5).",
        ),
        (
            "cgan",
            dict(inputs={"labels": [0, 1]}, num_images=3),
            "num_images is 3 but the inputs hold {'labels': 2}",
        ),
        (
            "cgan",
            dict(inputs={"labels": [0, 1], "noise": np.zeros((3, 8))}),
            "All inputs must have the same batch size; received {'labels': 2, 'noise': 3}.",
        ),
        (
            "cgan",
            {},
            "Pass num_images or inputs that fix the batch; "
            "the model expects noise: float32 [batch, 8]",
        ),
        ("cgan", dict(num_images=0), "num_images must be a positive integer; received 0."),
        ("cgan", dict(num_images=2, seed=-1), "seed must be a non-negative integer; received -1."),
        (
            "cgan",
            dict(num_images=2, graph="sampler"),
            "graph must be one of ['generator']; received 'sampler'.",
        ),
        (
            "gan",
            dict(inputs=[np.zeros((2, 8))]),
            "Inputs must be a dict {name: array}; received list.",
        ),
        (
            "cyclegan",
            dict(num_images=2),
            "No graph of CycleGAN can run on inputs []: a_to_b takes image_a; b_to_a takes image_b",
        ),
        (
            "cyclegan",
            dict(num_images=2, graph="a_to_b"),
            "Missing input 'image_a': only noise and class labels are drawn",
        ),
        (
            "cyclegan",
            dict(inputs={"image_a": np.zeros((2, 8, 8, 1))}),
            "image_a must be 16x16 for this model; received 8x8",
        ),
        (
            "stackgan",
            dict(inputs={"text_embedding": np.zeros((2, 5), np.float32)}),
            "text embeddings must have shape [batch, 6]; received shape (2, 5)",
        ),
        (
            "lapgan",
            dict(inputs={"coarse_images": np.zeros((2, 16, 16, 1))}),
            "coarse_images must have shape [batch, h, w, C]",
        ),
    ],
)
def test_bad_inputs_name_the_bad_value(factory, call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build(factory).generate(**call)


def test_exports_generate_the_training_models_images(exported):
    # The same call and seed on every export draws the same noise: the same images.
    for name, graph in exported.graphs.items():
        given = needed_inputs(exported.model, graph_specs(exported.model, graph), 3, seed=5)
        expected = exported.model.generate(given, num_images=3, seed=7, graph=name)["images"]
        for runner in (
            OnnxRunner(exported.result.paths[name]["onnx"], device="cpu"),
            load_generator(exported.result.paths[name]["saved_model"]),
        ):
            images = runner.generate(given, num_images=3, seed=7)["images"]
            np.testing.assert_allclose(images, expected, atol=1e-4, rtol=0)


def test_export_parity_holds_the_exports_to_generate(tmp_path):
    # Parity compares each export with the model's `generate`: a `generate` that differs fails it.
    gan = build("gan")
    plain = gan.generate

    def shifted(*args, **kwargs):
        return {name: value + 0.01 for name, value in plain(*args, **kwargs).items()}

    gan.generate = shifted
    with pytest.raises(ParityError, match=r"onnx batch 1: max abs diff 0.01 .* FAILED"):
        export_model(gan, str(tmp_path / "export"), formats=("onnx",))
