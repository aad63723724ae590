"""EMA covers BatchNorm moving statistics: the averaged generator is one consistent network.

A generator whose weights are averaged but whose BatchNorm layers normalise with the live
network's statistics mixes two networks; the EMA keeps averages of the statistics too.
"""

import os

import keras
import numpy as np

from keras_gans.data import dataset_from_arrays
from keras_gans.models import DCGAN

IMAGES = np.random.default_rng(1).uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)
DECAY = 0.5


def _statistics(network):
    """`[moving_mean, moving_variance, ...]` of the network's BatchNorm layers, as numpy."""
    return [
        np.asarray(v)
        for layer in network._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
        for v in (layer.moving_mean, layer.moving_variance)
    ]


def test_the_ema_generator_normalises_with_averaged_statistics(tmp_path):
    keras.utils.set_random_seed(5)
    model = DCGAN.build((16, 16, 1), latent_dim=8, base_filters=8)
    model.compile(ema_decay=DECAY)
    data = dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)
    expected = _statistics(model.generator)
    assert len(expected) == 4  # two BatchNorm layers at 16 pixels
    for _ in range(3):
        model.fit(data, epochs=1, steps_per_epoch=1, verbose=0)
        live = _statistics(model.generator)
        expected = [DECAY * a + (1 - DECAY) * s for a, s in zip(expected, live)]
    graph = model.inference_models()["generator"]
    averaged = _statistics(graph)
    for got, want in zip(averaged, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    # The live network's statistics are not what the averaged generator uses.
    gap = min(float(np.max(np.abs(a - s))) for a, s in zip(averaged, live))
    assert gap > 1e-4, gap
    # A saved and loaded run exports the same averages.
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    for got, want in zip(_statistics(restored.inference_models()["generator"]), averaged):
        np.testing.assert_array_equal(got, want)
