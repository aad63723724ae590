"""The reference classifiers: held-out accuracy, outputs, caching and determinism."""

import os
import re

import keras
import numpy as np
import pytest

from keras_gans.metrics import classifiers


def test_digits_classifier_reaches_97_percent_held_out(digits_reference):
    assert digits_reference.heldout_accuracy >= 0.97
    (_, _), (images, labels) = classifiers.digits_split(16)
    logits, features = digits_reference.predict(images)
    assert logits.shape == (len(images), 10) and features.shape == (len(images), 64)
    assert np.mean(logits.argmax(axis=1) == labels) == pytest.approx(
        digits_reference.heldout_accuracy
    )


def test_texture_classifier_reaches_95_percent_held_out(texture_reference):
    assert texture_reference.heldout_accuracy >= 0.95
    assert texture_reference.class_names == ("grass", "gravel")
    _, (images, labels) = classifiers.texture_split(32, num_per_class=200, seed=7)
    assert np.mean(texture_reference.logits(images).argmax(axis=1) == labels) >= 0.95


def test_splits_are_disjoint_and_balanced():
    (train, train_labels), (heldout, heldout_labels) = classifiers.digits_split(16)
    assert (len(train), len(heldout)) == (896, 901)
    assert np.all(np.abs(np.bincount(train_labels) - np.bincount(heldout_labels)) <= 1)
    # No held-out digit also appears in the train split.
    train_rows = {row.tobytes() for row in train.reshape(len(train), -1)}
    assert not any(row.tobytes() in train_rows for row in heldout.reshape(len(heldout), -1))


def test_predict_converts_rgb_and_resizes(digits_reference):
    (_, _), (images, _) = classifiers.digits_split(16)
    grey = digits_reference.logits(images[:8])
    np.testing.assert_allclose(
        digits_reference.logits(np.repeat(images[:8], 3, axis=-1)), grey, atol=1e-5
    )
    assert digits_reference.logits(np.zeros((2, 32, 32, 1), np.float32)).shape == (2, 10)
    with pytest.raises(
        ValueError, match=r"images must be \[N, H, W, 1 or 3\].*received shape \(2, 16, 16\)"
    ):
        digits_reference.predict(np.zeros((2, 16, 16)))


def test_second_call_loads_from_the_cache(digits_reference, classifier_cache, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("the cached classifier was trained again")

    monkeypatch.setattr(classifiers, "_fit", no_training)
    again = classifiers.digits_classifier(16, cache_dir=classifier_cache)
    assert again.path == digits_reference.path and os.path.isfile(again.path)
    assert again.heldout_accuracy == digits_reference.heldout_accuracy
    (_, _), (images, _) = classifiers.digits_split(16)
    np.testing.assert_allclose(
        again.features(images[:16]), digits_reference.features(images[:16]), atol=1e-6
    )


def test_training_is_deterministic_in_the_seed(tmp_path):
    first = classifiers.digits_classifier(8, seed=3, cache_dir=tmp_path / "a", epochs=1)
    second = classifiers.digits_classifier(8, seed=3, cache_dir=tmp_path / "b", epochs=1)
    for a, b in zip(first.model.get_weights(), second.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_one_fit_call_trains_as_one_call_per_epoch_would(monkeypatch):
    # `_fit` runs every epoch in one call; this is the schedule it stands for, by hand: a fresh
    # numpy permutation per epoch, its batches (70 = 32 + 32 + 6) and cosine decay over all.
    (images, labels), heldout = classifiers.digits_split(8)
    images, labels, epochs, batch_size = images[:70], labels[:70], 2, 32

    def reference(network):
        inputs = keras.Input(network.input.shape[1:])
        shifted = keras.layers.RandomTranslation(
            1 / 8, 1 / 8, fill_mode="constant", fill_value=-1.0, seed=4
        )(inputs)
        logits = keras.Model(network.input, network.get_layer("logits").output)(shifted)
        trainer = keras.Model(inputs, logits)
        trainer.compile(
            optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, 2 * 3)),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        rng = np.random.default_rng(4)
        for _ in range(epochs):
            order = rng.permutation(len(images))
            trainer.fit(
                images[order], labels[order], batch_size=batch_size, shuffle=False, verbose=0
            )
        return network

    monkeypatch.setattr(classifiers, "_with_unit_feature_scale", lambda network, images: network)
    fitted, _ = classifiers._fit(
        classifiers.build_classifier_network(8, 10, seed=4),
        (images, labels),
        heldout,
        epochs,
        batch_size,
        seed=4,
        shift=1 / 8,
    )
    expected = reference(classifiers.build_classifier_network(8, 10, seed=4))
    for a, b in zip(fitted.get_weights(), expected.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_texture_crop_errors():
    message = "region must be one of 'train', 'heldout', 'heldout_a', 'heldout_b'; received 'test'."
    with pytest.raises(ValueError, match=re.escape(message)):
        classifiers.texture_crops(region="test")
    with pytest.raises(
        ValueError, match=r"crop_size must be an integer in \[1, 64\]; received 100"
    ):
        classifiers.texture_crops(crop_size=100)
