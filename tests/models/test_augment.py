"""DiffAugment: each transform against hand-computed images, the policy's checks, and its survival
of a `.keras` round trip. Replica equality with every transform on is checked for every model by
tests/test_every_model.py."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import registry
from keras_gans.data import dataset_from_arrays
from keras_gans.models import DCGAN, GAN
from keras_gans.models import augment as augment_lib
from keras_gans.training import TrainConfig

IMAGES = np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)
FULL = "color,translation,cutout"
# The models whose discriminator calls augment on their own (GAN's are CGAN's and DCGAN's): each
# one's tiny instance of its spec (StackGAN's Stage II, LAPGAN's conditional 3 levels).
OWN_CALLS = {
    name: registry.get_spec(name).tiny_models[0] for name in ("cyclegan", "stackgan", "lapgan")
}


def _augment(images, draws, policy):
    return augment_lib.diff_augment(
        tf.constant(images), tf.constant(draws, tf.float32), augment_lib.parse_policy(policy)
    ).numpy()


def test_translation_shifts_by_whole_pixels_with_zero_fill():
    image = np.arange(64, dtype=np.float32).reshape(1, 8, 8, 1)
    # 8 px at ratio 1/8: shifts in [-1, 1]; u = 0.9 gives +1 row, u = 0.1 gives -1 column.
    shifted = _augment(image, [[0.9, 0.1]], "translation")[0, ..., 0]
    expected = np.zeros((8, 8), np.float32)
    expected[1:, :-1] = image[0, :-1, 1:, 0]
    np.testing.assert_array_equal(shifted, expected)
    # u = 0.5 is the middle bin: no shift.
    np.testing.assert_array_equal(_augment(image, [[0.5, 0.5]], "translation"), image)


def test_cutout_zeroes_one_half_size_square():
    image = np.ones((1, 8, 8, 1), np.float32)
    cut = _augment(image, [[0.5, 0.5]], "cutout")[0, ..., 0]
    # A 4x4 square centred at (4, 4): rows and columns 2..5.
    expected = np.ones((8, 8), np.float32)
    expected[2:6, 2:6] = 0.0
    np.testing.assert_array_equal(cut, expected)


def test_color_matches_the_authors_formulas():
    rng = np.random.default_rng(1)
    image = rng.uniform(-1, 1, (1, 4, 4, 3)).astype(np.float32)
    u = np.array([[0.8, 0.25, 0.1]], np.float32)
    x = image + (0.8 - 0.5)
    x = (x - x.mean(axis=3, keepdims=True)) * 0.5 + x.mean(axis=3, keepdims=True)
    x = (x - x.mean()) * 0.6 + x.mean()
    np.testing.assert_allclose(_augment(image, u, "color"), x, atol=1e-6)


def test_augmentation_is_differentiable_in_the_images():
    images = tf.Variable(IMAGES[:2])
    draws = tf.constant([[0.7, 0.4, 0.9, 0.1]], tf.float32) * tf.ones([2, 1])
    with tf.GradientTape() as tape:
        out = augment_lib.diff_augment(images, draws, ("translation", "cutout"))
        loss = tf.reduce_sum(out)
    gradient = tape.gradient(loss, images).numpy()
    # Cut-out and shifted-out pixels get no gradient, the others do.
    assert 0 < np.mean(gradient != 0) < 1


@pytest.mark.parametrize(
    "policy, message",
    [
        (
            "color,flip",
            "augment must name transforms among color, translation, cutout; received "
            "'color,flip' (unknown 'flip').",
        ),
        ("cutout,cutout", "augment names a transform twice; received 'cutout,cutout'."),
    ],
)
def test_bad_policy(policy, message):
    _assert_model_and_config_refuse(message, augment=policy)


def _assert_model_and_config_refuse(message, **option):
    """The model's constructor and `TrainConfig` both raise `message` for the option's value."""
    with pytest.raises(ValueError) as error:
        GAN.build((8, 8, 1), latent_dim=4, **option)
    assert str(error.value) == message
    with pytest.raises(ValueError) as error:
        TrainConfig(model="gan", **option)
    assert str(error.value) == message


def test_every_model_takes_augment():
    for spec in registry.specs():
        assert TrainConfig(model=spec.name, augment="translation").augment == "translation"


def test_an_empty_augment_flag_turns_the_presets_policy_off():
    from keras_gans.training import build_and_compile, get_spec

    for given, expected in ((None, ("translation", "cutout")), ("", ())):
        config = TrainConfig(model="dcgan", augment=given, image_size=16).resolved()
        spec = get_spec("dcgan")
        _, info = spec.make_dataset(config, 1)
        model = build_and_compile(config, info, tf.distribute.get_strategy())
        assert model.augment == expected, (given, model.augment)


def _first_discriminator_kernel(**option):
    """The discriminator's first kernel after one SGD step of a GAN built with `option`."""
    data = dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)
    keras.utils.set_random_seed(0)
    model = GAN.build((16, 16, 1), latent_dim=8, **option)
    model.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
    model.fit(data, epochs=1, steps_per_epoch=1, verbose=0)
    return model.discriminator.get_weights()[0]


def test_augmentation_changes_the_update():
    plain = _first_discriminator_kernel(augment=None)
    assert np.abs(plain - _first_discriminator_kernel(augment="translation,cutout")).max() > 1e-4


def test_augment_survives_a_keras_round_trip(tmp_path):
    model = DCGAN.build((16, 16, 1), latent_dim=8, base_filters=8, augment="translation,cutout")
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, compile=False)
    assert loaded.augment == ("translation", "cutout")
    assert loaded.get_config()["augment"] == "translation,cutout"


@pytest.mark.parametrize("name", sorted(OWN_CALLS))
def test_own_calls_augment_survives_a_keras_round_trip(name, tmp_path):
    model = OWN_CALLS[name].build(augment="translation,cutout")
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, compile=False)
    assert loaded.augment == ("translation", "cutout")
    assert loaded.get_config()["augment"] == "translation,cutout"


def test_lapgan_moves_each_residual_with_its_coarse_image():
    from keras_gans.models import LAPGAN
    from keras_gans.models.lapgan import model as lapgan_lib

    policy = ("translation", "cutout")
    model = LAPGAN.build((8, 8, 1), levels=2, latent_dim=4, filters=4, augment=",".join(policy))
    model.discriminators[1] = lambda inputs, training: inputs  # what level 1's D is shown
    rng = np.random.default_rng(2)
    residual, coarse = (tf.constant(rng.normal(size=(4, 8, 8, 1)), tf.float32) for _ in "rc")
    batch = {"lows": [None, coarse], "labels": None}
    shown_residual, shown_coarse = model._discriminate(1, residual, batch, 5, 1)
    draws = model.uniform(4, [augment_lib.num_draws(policy)], 5, lapgan_lib.AUGMENT_STREAMS + 4)
    for shown, given in ((shown_residual, residual), (shown_coarse, coarse)):
        expected = augment_lib.diff_augment(given, draws, policy)
        np.testing.assert_allclose(shown.numpy(), expected.numpy(), atol=1e-6)


@pytest.mark.parametrize(
    "name, unaugmented",
    [("cyclegan", {"cycle", "identity"}), ("lapgan", set()), ("stackgan", {"kl_loss"})],
)
def test_own_calls_augment_every_adversarial_term(name, unaugmented):
    # Every discriminator call of both sides changes its term, so both updates change (the
    # generator side's would not show in the discriminator's weights); eager, without a fit.
    tiny = OWN_CALLS[name]
    model = tiny.build()
    model.compile()
    batch = model.prepare_batch(next(iter(tiny.dataset())))
    batch = {**batch, **model.generator_pass(batch, 0)}
    terms = {}
    for policy in ("", FULL):
        model.augment = augment_lib.parse_policy(policy)
        terms[policy] = {**model.discriminator_losses(batch, 0), **model.generator_losses(batch, 0)}
    changed = {n for n, value in terms[""].items() if not np.allclose(value, terms[FULL][n])}
    assert changed == set(terms[""]) - unaugmented


# -- Instance noise -----------------------------------------------------------------------------
def _instance_noise(model, shape, step, stream, k=0):
    """The standard normal draws `augmented` adds to the k-th tensor of a call (before scaling)."""
    from keras_gans.models import base
    from keras_gans.models import noise as noise_lib

    seed = model.seed + base.INSTANCE_NOISE_SEED_OFFSET * (k + 1)
    return noise_lib.replica_normal(shape[0], list(shape[1:]), seed, step, stream).numpy()


@pytest.mark.parametrize("policy", [None, "translation,cutout"])
def test_instance_noise_adds_its_standard_deviation_times_keyed_normal_draws(policy):
    model = GAN.build((16, 16, 1), latent_dim=4, augment=policy, instance_noise=0.5)
    images = tf.constant(IMAGES)
    shown = model.augmented(images, 3, 2).numpy()
    augmented = images.numpy()
    if policy:
        draws = model.uniform(16, [augment_lib.num_draws(model.augment)], 3, 2)
        augmented = augment_lib.diff_augment(images, draws, model.augment).numpy()
    np.testing.assert_allclose(shown, augmented + 0.5 * _instance_noise(model, IMAGES.shape, 3, 2))
    # The scale by hand: 4,096 standard normal draws times 0.5 (a variance would read 0.25).
    assert abs(np.std(shown - augmented) - 0.5) < 0.03
    # Another step or stream draws other noise.
    assert not np.allclose(model.augmented(images, 4, 2), shown)
    assert not np.allclose(model.augmented(images, 3, 3), shown)


def test_instance_noise_gives_each_tensor_of_a_call_its_own_draws():
    model = GAN.build((16, 16, 1), latent_dim=4, instance_noise=0.1)
    first, second = (t.numpy() for t in model.augmented([IMAGES, IMAGES], 0, 1))
    for k, shown in enumerate((first, second)):
        np.testing.assert_allclose(
            shown, IMAGES + 0.1 * _instance_noise(model, IMAGES.shape, 0, 1, k)
        )
    assert not np.allclose(first, second)


def test_no_instance_noise_leaves_the_images_as_they_are():
    for value in (None, 0, 0.0):
        model = GAN.build((16, 16, 1), latent_dim=4, instance_noise=value)
        assert model.instance_noise == 0.0
        np.testing.assert_array_equal(model.augmented(tf.constant(IMAGES), 0, 2), IMAGES)


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), True, "0.1"])
def test_bad_instance_noise(value):
    message = f"instance_noise must be a finite standard deviation >= 0; received {value!r}."
    _assert_model_and_config_refuse(message, instance_noise=value)


def test_instance_noise_changes_the_update():
    plain = _first_discriminator_kernel(instance_noise=0.0)
    assert np.abs(plain - _first_discriminator_kernel(instance_noise=0.1)).max() > 1e-4


@pytest.mark.parametrize("name", sorted(OWN_CALLS))
def test_instance_noise_survives_a_keras_round_trip(name, tmp_path):
    model = OWN_CALLS[name].build(instance_noise=0.05)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, compile=False)
    assert loaded.instance_noise == loaded.get_config()["instance_noise"] == 0.05


@pytest.mark.parametrize("preset", sorted(spec.default_preset for spec in registry.specs()))
def test_instance_noise_reaches_each_default_presets_model(preset):
    from keras_gans.training import build_and_compile, get_spec

    spec = registry.spec_of_preset(preset)
    model_name = spec.name
    default = spec.presets[preset].get("instance_noise", 0.0)  # stackgan's 0.1, else none
    for given, expected in ((None, default), (0.0, 0.0), (0.2, 0.2)):
        config = TrainConfig(model=model_name, preset=preset, instance_noise=given).resolved()
        _, info = get_spec(model_name).make_dataset(config, 1)
        model = build_and_compile(config, info, tf.distribute.get_strategy())
        assert model.instance_noise == expected, (given, model.instance_noise)
