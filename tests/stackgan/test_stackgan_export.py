"""StackGAN export: the inference graphs and the SavedModel signature that takes caption strings."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.export.caption_saved_model import CAPTIONS_SIGNATURE, save_caption_saved_model


def test_inference_graph_is_the_embedding_chain(stage2_model):
    # Its SavedModel/ONNX parity runs in tests/export (the "stackgan" model factory).
    graphs = stage2_model.inference_models()
    assert list(graphs) == ["generator"]
    chain = graphs["generator"]
    assert [t.name for t in chain.inputs] == ["text_embedding", "noise"]
    assert chain.output_names == ["images"]
    assert [t.name for t in stage2_model.caption_models()["caption_generator"].inputs] == [
        "captions",
        "noise",
    ]


def test_caption_signature_returns_images_for_new_captions(stage2_model, tmp_path):
    path = save_caption_saved_model(stage2_model, str(tmp_path / "caption_generator" / "1"))
    loaded = tf.saved_model.load(path)
    assert set(loaded.signatures) == {"serving_default", "serving_png", CAPTIONS_SIGNATURE}
    # New captions, one with a word never seen in training ("purple").
    captions = ["a purple seven", "two thin ones"]
    noise = stage2_model.sample_noise(2, seed=9)
    images = loaded.signatures[CAPTIONS_SIGNATURE](
        captions=tf.constant(captions), noise=tf.constant(noise)
    )
    images = images["images"].numpy()
    assert images.shape == (2, 32, 32, 1) and np.all(np.abs(images) <= 1)
    np.testing.assert_allclose(
        images, stage2_model.sample(captions=captions, noise=noise), atol=1e-5
    )
    embedding = stage2_model.encode(captions)
    from_embedding = loaded.signatures["serving_default"](
        text_embedding=tf.constant(embedding), noise=tf.constant(noise)
    )["images"].numpy()
    np.testing.assert_allclose(from_embedding, images, atol=1e-5)
    with pytest.raises(ValueError, match="already exists"):
        save_caption_saved_model(stage2_model, path)


def test_caption_signature_needs_the_text_encoder(tmp_path):
    from keras_gans.models import StackGAN

    model = StackGAN.build(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        condition_dim=4,
        embedding_dim=6,
        base_filters=4,
    )
    with pytest.raises(ValueError, match="needs the built-in text encoder"):
        save_caption_saved_model(model, str(tmp_path / "x"))
