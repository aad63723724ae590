"""CycleGAN's translators at any size: Keras, SavedModel and ONNX Runtime agree, and the graph
pads to a multiple of 4 by reflection and crops back to the input's size."""

import keras
import numpy as np
import pytest
from model_factories import build

from keras_gans.export import verify
from keras_gans.models.cyclegan.networks import any_size_generator

# Square, non-square, and neither side a multiple of 4 (padded to 40x48 inside the graph).
SIZES = [(32, 32), (20, 28), (37, 45)]


def images(height, width, batch=2, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (batch, height, width, 1)).astype("float32")


def test_exports_match_keras_at_three_sizes(export_of):
    # One direction: both translators are the same any-size wrapper (b_to_a meets ONNX Runtime at
    # 13x18 in test_export_parity.py).
    direction = "a_to_b"
    cyclegan = export_of("cyclegan")
    graph = cyclegan.graphs[direction]
    name = graph.inputs[0].name
    # verify: the SavedModel in one fresh TensorFlow-only process, the ONNX file in ONNX Runtime.
    reports = verify(
        graph,
        cyclegan.result.paths[direction],
        batch_sizes=(1, 3),
        input_shapes=[{name: (height, width, 1)} for height, width in SIZES],
    )
    checked = {(r.format, r.batch_size, r.input_shape[name][:2]) for r in reports}
    assert checked == {
        (fmt, batch, size) for fmt in ("saved_model", "onnx") for batch in (1, 3) for size in SIZES
    }
    assert all(r.passed for r in reports), [str(r) for r in reports]
    for height, width in SIZES:
        assert graph(images(height, width)).shape == (2, height, width, 1)


@pytest.fixture(scope="module")
def cyclegan():
    """The export factory's CycleGAN (16x16 grey, weights moved off their initial values)."""
    return build("cyclegan")


def fixed_size_copy(generator, height, width):
    """The generator's own layers on one fixed size: no padding or cropping of ours involved."""
    return keras.models.clone_model(
        generator,
        input_tensors=keras.Input(shape=(height, width, 1)),
        clone_function=lambda layer: layer,
    )


def test_a_size_not_a_multiple_of_4_is_reflect_padded_and_cropped_back(cyclegan):
    generator = cyclegan.generator_ab
    x = images(37, 45)
    got = np.asarray(any_size_generator(generator)(x))
    assert got.shape == x.shape
    # By hand: 37 -> 40 and 45 -> 48, 1 pixel of reflection before and 2 after on each axis.
    padded = np.pad(x, ((0, 0), (1, 2), (1, 2), (0, 0)), mode="reflect")
    full = np.asarray(fixed_size_copy(generator, 40, 48)(padded))
    np.testing.assert_allclose(got, full[:, 1:38, 1:46], atol=1e-6, rtol=0)


def test_multiples_of_4_pass_through_unpadded(cyclegan):
    generator = cyclegan.generator_ab
    for height, width in [(16, 16), (20, 28)]:
        x = images(height, width, seed=1)
        expected = np.asarray(fixed_size_copy(generator, height, width)(x))
        np.testing.assert_allclose(np.asarray(any_size_generator(generator)(x)), expected, atol=0)
    # The exported graph at the training size is the trained generator, weights and all.
    x = images(16, 16, seed=2)
    graph = cyclegan.inference_models()["a_to_b"]
    np.testing.assert_allclose(np.asarray(graph(x)), np.asarray(generator(x)), atol=0)


def test_the_any_size_graph_round_trips_through_a_keras_file(cyclegan, tmp_path):
    graph = cyclegan.inference_models()["b_to_a"]
    graph.save(tmp_path / "b_to_a.keras")
    restored = keras.saving.load_model(tmp_path / "b_to_a.keras")
    x = images(21, 14)
    np.testing.assert_allclose(np.asarray(restored(x)), np.asarray(graph(x)), atol=0)
