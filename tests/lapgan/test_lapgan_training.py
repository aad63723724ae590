"""The faces source, the `lapgan` spec and presets, and one tiny `train()` run."""

import json

import numpy as np
import pytest
import tensorflow_datasets as tfds

from keras_gans.data import load_faces, make_dataset
from keras_gans.models import LAPGAN
from keras_gans.training import TrainConfig, get_spec, train


def test_faces_are_mirrored_grey_images_in_range():
    faces = load_faces(16)
    assert faces.shape == (200, 16, 16, 1) and faces.dtype == np.float32
    assert faces.min() >= -1.0 and faces.max() <= 1.0
    np.testing.assert_allclose(faces[100:], faces[:100, :, ::-1], atol=1e-6)
    assert load_faces(8, mirror=False).shape == (100, 8, 8, 1)
    with pytest.raises(ValueError, match="image_size must be an integer >= 8; received 4"):
        load_faces(4)


def test_faces_spec_is_unlabelled():
    dataset, info = make_dataset("faces", image_size=16, channels=3, batch_size=8)
    assert info.num_examples == 200 and info.num_classes is None
    batch = next(iter(dataset))
    assert set(batch) == {"images"} and batch["images"].shape == (8, 16, 16, 3)
    with pytest.raises(
        ValueError, match="with_labels=True needs a labelled source; received spec 'faces'"
    ):
        make_dataset("faces", image_size=16, channels=1, batch_size=8, with_labels=True)


def test_tiny_train_run_logs_every_level(tmp_path):
    config = TrainConfig(
        model="lapgan",
        image_size=16,
        levels=2,
        base_filters=4,
        latent_dim=8,
        batch_size=8,
        epochs=1,
        steps_per_epoch=2,
        output_dir=str(tmp_path),
        export=False,
        verbose=0,
    )
    result = train(config)
    assert isinstance(result.model, LAPGAN) and result.model.level_shapes == [
        (8, 8, 1),
        (16, 16, 1),
    ]
    metrics = json.load(open(result.files["metrics"]))
    for name in ("d_loss_0", "d_loss_1", "g_loss_0", "g_loss_1"):
        assert np.isfinite(metrics[name])
    assert {"sampler", "super_resolution"} <= set(result.files)
    assert result.config.dataset == "faces" and result.config.conditional is False


def test_conditional_spec_builds_from_dataset_labels():
    config = TrainConfig(
        model="lapgan",
        dataset="digits",
        conditional=True,
        image_size=16,
        levels=2,
        base_filters=4,
        batch_size=8,
    )
    spec = get_spec("lapgan")
    config = config.resolved()
    dataset, info = spec.make_dataset(config, 1)
    assert "labels" in next(iter(dataset))
    model = spec.build(config, info)
    assert model.num_classes == 10
    assert [t.name for t in model.inference_models()["sampler"].inputs] == [
        "noise_0",
        "noise_1",
        "labels",
    ]


def _dense_widths(network):
    return [layer.units for layer in network.layers if hasattr(layer, "units")]


@pytest.mark.parametrize(
    "coarse_units, generator, discriminator",
    # Unset: the paper's 1200 (G) at 128 filters, scaled to 8 and shared by D; set: G two layers
    # of it, D a half and a quarter (the last width is the image or the logit).
    [(None, [75, 75, 64], [75, 75, 1]), (16, [16, 16, 64], [8, 4, 1])],
)
def test_coarse_units_size_the_coarsest_mlps(coarse_units, generator, discriminator):
    config = TrainConfig(
        model="lapgan",
        dataset="digits",
        image_size=16,
        levels=2,
        base_filters=8,
        coarse_units=coarse_units,
    ).resolved()
    model = get_spec("lapgan").build(config, None)
    assert _dense_widths(model.generators[0]) == generator
    assert _dense_widths(model.discriminators[0]) == discriminator


def test_digits_preset_widens_the_coarse_level():
    config = TrainConfig(model="lapgan", preset="lapgan_digits").resolved()
    assert (config.coarse_units, config.ema_decay) == (1024, 0.99)
    with pytest.raises(ValueError, match="--coarse_units applies to lapgan only"):
        TrainConfig(model="dcgan", coarse_units=64)


def test_cifar10_preset_is_the_paper_setting_and_loads_with_mock_data():
    config = TrainConfig(model="lapgan", preset="lapgan_cifar10", batch_size=4).resolved()
    assert (config.dataset, config.image_size, config.channels) == ("tfds:cifar10", 32, 3)
    assert (config.levels, config.base_filters, config.conditional) == (3, 128, False)
    with tfds.testing.mock_data(num_examples=8):
        dataset, _ = get_spec("lapgan").make_dataset(config, 1)
        assert next(iter(dataset))["images"].shape == (4, 32, 32, 3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"levels": 0}, "levels must be a positive integer; received 0"),
        ({"conditional": "yes"}, "conditional must be True or False; received 'yes'"),
        ({"coarse_units": 3}, "coarse_units must be an integer >= 4; received 3"),
        ({"coarse_units": True}, "coarse_units must be an integer >= 4; received True"),
        ({"coarse_units": 64.0}, "coarse_units must be an integer >= 4; received 64.0"),
    ],
)
def test_config_rejects_bad_lapgan_fields(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(model="lapgan", **kwargs)


def test_training_run_rejects_a_pyramid_that_does_not_fit(tmp_path):
    config = TrainConfig(
        model="lapgan", image_size=20, levels=4, epochs=1, output_dir=str(tmp_path / "o")
    )
    with pytest.raises(ValueError, match=r"divisible by 2\*\*\(levels - 1\) = 8; received 20x20"):
        train(config)
