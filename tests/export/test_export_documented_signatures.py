"""The LAPGAN and StackGAN rows of docs/export.md's signature table, checked on real exports."""

import tensorflow as tf


def signature_specs(exported, graph):
    path = exported.result.paths[graph]["saved_model"]
    _, inputs = tf.saved_model.load(path).signatures["serving_default"].structured_input_signature
    return {name: (spec.dtype.name, spec.shape.as_list()) for name, spec in inputs.items()}


def test_lapgan_rows(export_of):
    # Factory: 3 levels, 16x16x1, latent_dim 8, 3 classes: H_0 = 4, noise_1 8x8, noise_2 16x16.
    lapgan = export_of("lapgan")
    assert sorted(lapgan.result.paths) == ["sampler", "super_resolution"]
    noise = {"noise_1": ("float32", [None, 8, 8, 1]), "noise_2": ("float32", [None, 16, 16, 1])}
    labels = {"labels": ("int32", [None])}
    assert signature_specs(lapgan, "sampler") == {"noise_0": ("float32", [None, 8]), **noise, **labels}
    assert signature_specs(lapgan, "super_resolution") == {
        "coarse_images": ("float32", [None, 4, 4, 1]), **noise, **labels
    }


def test_stackgan_row(export_of):
    # Factory: Stage II over Stage I (latent_dim 4, condition_dim 4 each), embeddings of size 6.
    stackgan = export_of("stackgan")
    assert sorted(stackgan.result.paths) == ["generator"]
    assert stackgan.model.noise_dim == 4 + 4 + 4
    assert signature_specs(stackgan, "generator") == {
        "text_embedding": ("float32", [None, 6]),
        "noise": ("float32", [None, 12]),
    }
    # Precomputed embeddings: no caption signature.
    assert stackgan.result.signatures == {}
