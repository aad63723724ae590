"""LAPGAN: level shapes, the sampling chain, the sampler file, bad input.

Fit, round trips, replicas, mixed precision, EMA and export: tests/test_every_model.py.
"""

import gan_test_case as case
import keras
import numpy as np
import pytest

from keras_gans.data import dataset_from_arrays
from keras_gans.layers import GaussianUpsample2D
from keras_gans.models import LAPGAN
from keras_gans.models.lapgan import build_level_networks

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)
LABELS = (np.arange(16) % 3).astype(np.int32)
SHAPES = [(4, 4, 1), (8, 8, 1), (16, 16, 1)]


def tiny(num_classes=None):
    """A 3-level LAPGAN 4 -> 8 -> 16 with narrow networks."""
    return LAPGAN.build(
        (16, 16, 1),
        levels=3,
        latent_dim=6,
        num_classes=num_classes,
        filters=4,
        coarse_units=(16,),
        coarse_discriminator_units=(16,),
    )


def data(conditional=False):
    labels = LABELS if conditional else None
    return dataset_from_arrays(
        IMAGES, labels, num_classes=3 if conditional else None, batch_size=8, shuffle=False
    )


def chain_inputs(count=3, conditional=False):
    inputs = [RNG.normal(size=(count, 6)).astype(np.float32)] + [
        RNG.normal(size=(count, s, s, 1)).astype(np.float32) for s in (8, 16)
    ]
    return inputs + [np.arange(count, dtype=np.int32) % 3] if conditional else inputs


@pytest.fixture(scope="module")
def trained():
    """A conditional tiny model after one epoch (shared by the read-only tests)."""
    model = tiny(num_classes=3)
    model.compile()
    history = case.run_fit_changes_both_networks(model, data(conditional=True))
    return model, history


def test_level_networks_and_real_pyramid_shapes():
    model = tiny()
    assert model.levels == 3 and model.level_shapes == SHAPES and model.image_shape == (16, 16, 1)
    assert model.noise_shapes == [(6,), (8, 8, 1), (16, 16, 1)]
    batch = model.prepare_batch(IMAGES[:5])
    assert [tuple(t.shape) for t in batch["targets"]] == [(5,) + s for s in SHAPES]
    assert batch["lows"][0] is None
    assert [tuple(t.shape) for t in batch["lows"][1:]] == [(5,) + s for s in SHAPES[1:]]
    for level, shape in enumerate(SHAPES):
        noise = np.zeros((5,) + model.noise_shapes[level], np.float32)
        inputs = noise if level == 0 else [noise, np.zeros((5,) + shape, np.float32)]
        assert model.generators[level](inputs).shape == (5,) + shape
        d_inputs = np.zeros((5,) + shape, np.float32)
        d_inputs = d_inputs if level == 0 else [d_inputs, d_inputs]
        assert model.discriminators[level](d_inputs).shape == (5, 1)
    # Each finer level's real target is the band-pass residual against the upsampled coarse image.
    low = GaussianUpsample2D()(batch["targets"][0])
    np.testing.assert_allclose(batch["lows"][1], low, atol=1e-6)


def test_fit_logs_every_level_and_trains_every_network(trained):
    model, history = trained
    expected = {"d_loss", "g_loss"} | {f"{side}_loss_{k}" for side in "dg" for k in range(3)}
    assert set(history) == expected
    total = sum(history[f"d_loss_{k}"][0] for k in range(3))
    assert history["d_loss"][0] == pytest.approx(total, rel=1e-5)


def test_sampling_chain_runs_coarse_to_fine(trained):
    model, _ = trained
    sampler = model.inference_models()["sampler"]
    assert [t.name for t in sampler.inputs] == ["noise_0", "noise_1", "noise_2", "labels"]
    assert sampler.output_names == ["images"]
    inputs = chain_inputs(conditional=True)
    images = np.asarray(sampler(inputs))
    assert images.shape == (3, 16, 16, 1)
    # By hand: I_0 = G_0(z_0, y); I_k = l_k + G_k(z_k, l_k, y) with l_k = upsample(I_{k-1}).
    z0, z1, z2, labels = inputs
    up = GaussianUpsample2D()
    image = np.asarray(model.generators[0]([z0, labels]))
    for level, noise in ((1, z1), (2, z2)):
        low = np.asarray(up(image))
        image = low + np.asarray(model.generators[level]([noise, low, labels]))
    np.testing.assert_allclose(images, np.asarray(image), atol=1e-5)
    np.testing.assert_allclose(np.asarray(model(inputs)), images, atol=1e-6)


def test_super_resolution_chain_starts_from_given_coarse_images(trained):
    model, _ = trained
    chain = model.inference_models()["super_resolution"]
    assert [t.name for t in chain.inputs] == ["coarse_images", "noise_1", "noise_2", "labels"]
    coarse = RNG.uniform(-1, 1, (2, 4, 4, 1)).astype(np.float32)
    _, z1, z2, labels = chain_inputs(2, conditional=True)
    assert chain([coarse, z1, z2, labels]).shape == (2, 16, 16, 1)
    levels = model.sample_levels(coarse_images=coarse, labels=[0, 2], seed=3)
    assert [lv.shape for lv in levels] == [(2, 8, 8, 1), (2, 16, 16, 1)]
    # From the middle level: only the finest level is generated.
    finest = model.sample(coarse_images=RNG.uniform(-1, 1, (2, 8, 8, 1)), labels=[1, 1])
    assert finest.shape == (2, 16, 16, 1)


def test_sample_and_preview(trained):
    model, _ = trained
    first = model.sample(4, seed=5)
    np.testing.assert_array_equal(first, model.sample(4, seed=5))
    assert first.shape == (4, 16, 16, 1)
    images, columns = model.preview(seed=1)
    # Rows: coarse, middle, final, one column per class, each upsampled to 16x16.
    assert columns == 3 and images.shape == (9, 16, 16, 1)
    levels = model.sample_levels(3, seed=1)
    np.testing.assert_allclose(images[6:], levels[2], atol=1e-6)


def test_unconditional_preview_columns():
    images, columns = tiny().preview(seed=0)
    assert columns == 12 and images.shape == (36, 16, 16, 1)


def test_the_sampler_alone_is_a_keras_file_that_reloads(trained, tmp_path):
    model, _ = trained
    inputs = chain_inputs(conditional=True)
    path = str(tmp_path / "sampler.keras")
    model.inference_models()["sampler"].save(path)
    np.testing.assert_array_equal(
        np.asarray(keras.saving.load_model(path)(inputs)), np.asarray(model(inputs))
    )


@pytest.mark.parametrize(
    "shape, levels, message",
    [
        ((30, 30, 1), 3, r"divisible by 2\*\*\(levels - 1\) = 4; received 30x30"),
        ((16, 16, 1), 4, r"4 levels leave a 2x2 coarsest image from 16x16; expected at least 4x4"),
        ((16, 16, 1), 0, r"levels must be an integer >= 1; received 0"),
    ],
)
def test_bad_sizes_and_level_counts(shape, levels, message):
    with pytest.raises(ValueError, match=message):
        LAPGAN.build(shape, levels=levels, latent_dim=4, filters=2)


def test_bad_networks_and_inputs():
    generators, discriminators = build_level_networks(
        SHAPES, latent_dim=4, filters=2, coarse_units=(8,)
    )
    with pytest.raises(
        ValueError, match=r"one discriminator per generator .* received 3 generator\(s\) and 2"
    ):
        LAPGAN(generators, discriminators[:2])
    with pytest.raises(
        ValueError,
        match=r"must output \[\(8, 8, 1\), \(16, 16, 1\)\] .* "
        r"received \[\(4, 4, 1\), \(16, 16, 1\)\]",
    ):
        LAPGAN([generators[0], generators[2]], [discriminators[0], discriminators[2]])
    conditional = tiny(num_classes=3)
    conditional.compile()
    with pytest.raises(ValueError, match="class-conditional LAPGAN needs labels"):
        conditional.fit(IMAGES, epochs=1, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\); received min 0, max 3"):
        conditional.sample(labels=[0, 3])
    model = tiny()
    model.compile()
    with pytest.raises(ValueError, match="must be 16x16 for this model; received 8x8"):
        model.fit(IMAGES[:, :8, :8], epochs=1, batch_size=8, verbose=0)
    with pytest.raises(
        ValueError,
        match=r"coarse_images must have shape .* one of the coarser levels "
        r"\[\(4, 4, 1\), \(8, 8, 1\)\]; received \(2, 16, 16, 1\)",
    ):
        model.sample(coarse_images=np.zeros((2, 16, 16, 1)))
    with pytest.raises(ValueError, match=r"start_level must lie in \[0, 3\); received 3"):
        model.sampling_chain(start_level=3)
