"""The deployed generator takes each average for its own weight, even where paths repeat.

Keras names a variable by its layer's name, and layer names repeat across networks built in
different processes: a Stage-II StackGAN built after loading its Stage I has a `conv2d` of its own
beside Stage I's. An average looked up by path would land on the frozen network's weight.
"""

import keras
import numpy as np

from keras_gans.data import dataset_from_arrays
from keras_gans.models import GAN
from keras_gans.models.gan.networks import build_mlp_discriminator

IMAGE_SHAPE = (4, 4, 1)
LATENT = 6


def _twin(name):
    # Functional, as the model's networks are: the layer is built outside any name scope, so
    # its variables' paths are `twin/...` in both networks.
    inputs = keras.Input((LATENT,))
    return keras.Model(inputs, keras.layers.Dense(LATENT, name="twin")(inputs), name=name)


def _generator():
    """z -> a frozen `twin` Dense -> a trained `twin` Dense of the same shape -> images."""
    frozen, trained = _twin("frozen"), _twin("trained")
    frozen.trainable = False
    z = keras.Input((LATENT,), name="noise")
    pixels = keras.layers.Dense(16, activation="tanh", name="pixels")(trained(frozen(z)))
    return keras.Model(z, keras.layers.Reshape(IMAGE_SHAPE, name="images")(pixels), name="g")


def test_a_frozen_weight_sharing_a_path_with_an_averaged_one_keeps_its_value():
    keras.utils.set_random_seed(3)
    generator = _generator()
    frozen, trained = generator.get_layer("frozen"), generator.get_layer("trained")
    assert frozen.weights[0].path == trained.weights[0].path  # the premise: the paths repeat
    model = GAN(generator, build_mlp_discriminator(IMAGE_SHAPE, units=(8,)))
    model.compile(ema_decay=0.5)
    images = np.random.default_rng(0).uniform(-1, 1, (8, *IMAGE_SHAPE)).astype(np.float32)
    model.fit(
        dataset_from_arrays(images, batch_size=8, shuffle=False), epochs=2, verbose=0, shuffle=False
    )

    deployed = model.inference_models()["generator"]
    averages = {id(v): a for v, a in zip(model._ema_sources(), model._ema_weights)}
    for live, copy in zip(generator.weights, deployed.weights):
        if live.trainable:
            want = np.asarray(averages[id(live)])
            assert not np.array_equal(want, np.asarray(live)), live.path  # the EMA lags
        else:
            want = np.asarray(live)  # frozen: never averaged, deployed as it is
        np.testing.assert_array_equal(np.asarray(copy), want, err_msg=live.path)
