"""StackGAN: stage shapes, losses, mismatched pairs, the frozen Stage I, captions, errors.

Fit, round trips, replicas, mixed precision, EMA and export: tests/test_every_model.py.
"""

import gan_test_case as case
import keras
import numpy as np
import pytest
import tensorflow as tf
from stackgan_case import CAPTIONS, IMAGES8, SMALL, build_stage1, caption_data, chain_inputs

from keras_gans import losses
from keras_gans.models import StackGAN
from keras_gans.models.stackgan import model as model_lib
from keras_gans.training import TrainConfig, train


def test_stage_shapes():
    stage1 = build_stage1()
    assert stage1.noise_dim == 4 + 4
    assert stage1.generator([np.zeros((2, 4)), np.zeros((2, 4))]).shape == (2, 8, 8, 1)
    # Four: the default minibatch standard deviation groups 4 images.
    assert stage1.discriminator([np.zeros((4, 8, 8, 1)), np.zeros((4, 8))]).shape == (4, 1)
    chain = stage1.chain()
    assert [t.name for t in chain.inputs] == ["text_embedding", "noise"]
    assert chain.output_names == ["images"]
    assert stage1.sample(captions=["a seven", "a one"]).shape == (2, 8, 8, 1)
    # The paper's 64 -> 256 layout (tiny widths): Stage II encodes 64 to 16 and upsamples 16x.
    paper1 = StackGAN.build(
        stage=1,
        image_size=64,
        channels=3,
        latent_dim=100,
        condition_dim=8,
        embedding_dim=16,
        base_filters=2,
    )
    paper2 = StackGAN.build(
        stage=2,
        stage1=paper1.chain(),
        image_size=64,
        condition_dim=8,
        base_filters=2,
        residual_blocks=1,
    )
    encoded = [a.output.shape for a in paper2.generator.layers if isinstance(a, keras.layers.Add)]
    assert encoded[0][1:3] == (16, 16)
    assert paper2.noise_dim == 100 + 8 + 8
    assert paper2.image_shape == (256, 256, 3)
    assert paper2.discriminator.inputs[0].shape[1:] == (256, 256, 3)
    out = paper2(chain_inputs(paper2, count=1))
    assert out.shape == (1, 256, 256, 3) and float(tf.reduce_max(tf.abs(out))) <= 1


def test_widths_not_given_follow_stage_one_resolution():
    # The stackgan preset leaves them to the model: df 64 (gf 128) for Stage I at any size,
    # df 6 and 1 block for a Stage II on a Stage I below 64x64; the paper's 64 and 4 from 64 up.
    def filters(network):
        return [layer.filters for layer in network.layers if hasattr(layer, "filters")]

    def first_filters(network):
        return filters(network)[0]

    def blocks(network):
        return sum(isinstance(layer, keras.layers.Add) for layer in network.layers)

    small = StackGAN.build(stage=1, image_size=16, channels=1, embedding_dim=8)
    assert filters(small.discriminator) == [64, 128, 128, 1]
    assert filters(small.generator) == [128, 64, 1]
    small2 = StackGAN.build(stage=2, stage1=small.chain())
    assert first_filters(small2.discriminator) == 6 and blocks(small2.generator) == 1
    large2 = StackGAN.build(
        stage=2, stage1=StackGAN.build(stage=1, image_size=64, embedding_dim=8).chain()
    )
    assert first_filters(large2.discriminator) == 64 and blocks(large2.generator) == 4


def _changed(run, variables):
    """Which of `variables` (of `run.model`) moved in training."""
    before = {id(v): b for v, b in zip(run.model.weights, run.initial)}
    return [not np.array_equal(np.array(v), before[id(v)]) for v in variables]


@pytest.mark.parametrize("stage", [1, 2])
def test_training_moves_both_sides_and_the_text_encoder(stage, stage1_run, stage2_run):
    run = stage1_run if stage == 1 else stage2_run
    model = run.model
    assert all(_changed(run, model.generator_variables()))
    assert all(_changed(run, model.discriminator_variables()))
    # The generator side of Stage I: its generator, its CA layer and the text encoder.
    generator_side = {id(v) for v in model.generator_variables()}
    assert {id(v) for v in model.conditioning.trainable_variables} <= generator_side
    if stage == 1:
        assert {id(v) for v in model.text_encoder.trainable_variables} <= generator_side
        assert not generator_side & {id(v) for v in model.discriminator_variables()}


def test_stage2_keeps_stage1_frozen(stage1_run, stage2_run):
    model = stage2_run.model
    frozen = model.stage1.weights + model.text_encoder.weights
    assert not {id(v) for v in frozen} & {
        id(v) for v in model.generator_variables() + model.discriminator_variables()
    }
    # Every Stage-I weight, BatchNorm moving statistics included, is as the Stage-I file holds it.
    assert not any(_changed(stage2_run, frozen))
    stage1 = keras.saving.load_model(stage1_run.path)
    saved = case.weights_of(stage1.chain()) + case.weights_of(stage1.text_encoder)
    assert (
        case.max_weight_difference(
            saved, case.weights_of(model.stage1) + case.weights_of(model.text_encoder)
        )
        == 0
    )
    assert model.sample(captions=["a thick two"]).shape == (1, 32, 32, 1)


def test_kl_term_is_kl_weight_times_the_ca_kl():
    model = build_stage1(kl_weight=0.7)
    model.compile()
    batch = model.prepare_batch({"images": IMAGES8[:4], "captions": CAPTIONS[:4]})
    terms = model.generator_losses(batch, tf.constant(0, tf.int64))
    _, mu, log_sigma = model.conditioning(model.text_encoder(CAPTIONS[:4]))
    np.testing.assert_allclose(
        terms["kl_loss"], 0.7 * losses.gaussian_kl_loss(mu, log_sigma), rtol=1e-6
    )
    assert terms["g_loss"].shape == (4,)


@pytest.mark.parametrize("bad", [-0.5, float("nan"), "2", True])
def test_kl_weight_must_be_a_number_at_least_zero(bad):
    with pytest.raises(ValueError) as error:
        build_stage1(kl_weight=bad)
    assert str(error.value) == f"kl_weight must be a number >= 0; received {bad!r}."


def test_discriminator_sees_really_mismatched_texts(monkeypatch):
    model = build_stage1()
    model.compile()
    seen = {}
    original = model_lib.matching.mismatched_texts

    def spy(texts, keys):
        seen["texts"], seen["wrong"] = texts.numpy(), original(texts, keys).numpy()
        return tf.constant(seen["wrong"])

    monkeypatch.setattr(model_lib.matching, "mismatched_texts", spy)
    batch = model.prepare_batch({"images": IMAGES8[:8], "captions": CAPTIONS[:8]})
    model.discriminator_losses(batch, tf.constant(0, tf.int64))
    texts, wrong = seen["texts"], seen["wrong"]
    for i in range(8):
        sources = [j for j in range(8) if np.allclose(wrong[i], texts[j], atol=1e-6)]
        assert sources, f"row {i}: its wrong text is no text of the batch"
        assert all(CAPTIONS[j] != CAPTIONS[i] for j in sources), (i, sources)


@pytest.mark.parametrize("stage", [1, 2])
def test_deployed_chain_computes_what_training_generates(stage, stage1_run, stage2_model):
    model = stage1_run.model if stage == 1 else stage2_model
    embeddings, noise = chain_inputs(model, count=4)
    trained, _, _ = model._generate(tf.constant(embeddings), tf.constant(noise), training=False)
    np.testing.assert_allclose(model.chain()([embeddings, noise]), trained, atol=1e-6)
    # Different texts with the same noise give different images.
    assert (
        float(
            np.var(
                np.asarray(model(chain_inputs(model, 4)[:1] + [np.repeat(noise[:1], 4, 0)])), 0
            ).mean()
        )
        > 0
    )


@pytest.mark.parametrize("stage", [1, 2])
def test_reloaded_stages_sample_the_same_from_captions(stage, stage1_run, stage2_run):
    # Config and `.keras` round trips of both stages: tests/test_every_model.py.
    run = stage1_run if stage == 1 else stage2_run
    model, restored = run.model, keras.saving.load_model(run.path)
    assert len(restored.generator_variables()) == len(model.generator_variables())
    captions = ["a thin seven", "a two"]
    noise = model.sample_noise(2, seed=4)
    np.testing.assert_allclose(
        restored.sample(captions=captions, noise=noise),
        model.sample(captions=captions, noise=noise),
        atol=1e-6,
    )
    if stage == 2:
        assert not restored.stage1.trainable and not restored.text_encoder.trainable


def test_bad_embeddings_and_captions():
    model = StackGAN.build(
        stage=1, image_size=8, channels=1, latent_dim=4, embedding_dim=6, **SMALL
    )
    with pytest.raises(
        ValueError, match=r"text embeddings must have shape \[batch, 6\]; received shape \(2, 5\)"
    ):
        model.sample(text_embedding=np.zeros((2, 5), np.float32))
    model.compile()
    wrong_size = tf.data.Dataset.from_tensor_slices(
        {"images": IMAGES8, "embeddings": np.zeros((16, 5), np.float32)}
    ).batch(8)
    with pytest.raises(
        ValueError, match=r"must have shape \[batch, 6\]; received shape \(None, 5\)"
    ):
        model.fit(wrong_size, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="has no text encoder: feed precomputed embeddings"):
        model.fit(caption_data(IMAGES8), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="takes precomputed embeddings and has no text encoder"):
        model.sample(captions=["a seven"])
    with pytest.raises(ValueError, match=r"noise must have shape \[1, 8\]"):
        model.sample(text_embedding=np.zeros((1, 6), np.float32), noise=np.zeros((1, 7)))
    with_encoder = build_stage1()
    with pytest.raises(ValueError, match="at least one word; received '' at index 1"):
        with_encoder.sample(captions=["a seven", ""])
    with pytest.raises(ValueError, match="Pass exactly one of captions and text_embedding"):
        with_encoder.sample()
    with pytest.raises(ValueError, match="Without a vocabulary .* pass embedding_dim"):
        StackGAN.build(stage=1, image_size=8, channels=1)


def test_stage2_without_a_trained_stage1(tmp_path):
    with pytest.raises(ValueError, match="stage=2 needs a trained Stage I: pass stage1="):
        StackGAN.build(stage=2)
    with pytest.raises(ValueError, match="no file at .*missing.keras"):
        StackGAN.build(stage=2, stage1=str(tmp_path / "missing.keras"))
    with pytest.raises(ValueError, match="has taken no training step"):
        StackGAN.build(stage=2, stage1=build_stage1())
    with pytest.raises(ValueError, match="stage must be 1 or 2; received 3"):
        StackGAN.build(stage=3)
    config = TrainConfig(
        model="stackgan",
        stage=2,
        stage1_model=str(tmp_path / "none.keras"),
        output_dir=str(tmp_path / "run"),
        export=False,
        verbose=0,
    )
    with pytest.raises(ValueError, match="stage=2 needs a trained Stage I, but there is no file"):
        train(config)
