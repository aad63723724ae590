"""One source of truth for every model's settings: the presets in `models/<model>/presets.py`.

The CLI resolves `--preset=NAME` (and `--model=M` alone) to exactly the preset's values, and
`Model.build()`'s defaults and `Model.from_preset()` make the networks the CLI trains.
"""

import pytest
from absl import flags
from build_signature import signature

from keras_gans import registry
from keras_gans.flags import train as cli
from keras_gans.models import CGAN, GAN
from keras_gans.training import TrainConfig, build_and_compile

BUNDLED = [
    spec.name
    for spec in registry.specs()
    if spec.defaults["dataset"] in ("digits", "faces", "textures")
]


def parse(*argv):
    """The resolved `TrainConfig` of a `keras-gans-train` command line."""
    flags.FLAGS.unparse_flags()
    try:
        flags.FLAGS(["keras-gans-train", *argv])
        return cli.config_from_flags(flags.FLAGS).resolved()
    finally:
        flags.FLAGS.unparse_flags()


@pytest.mark.parametrize("preset", registry.preset_names())
def test_the_cli_trains_each_preset_as_written(preset):
    spec = registry.spec_of_preset(preset)
    config = parse(f"--preset={preset}")
    assert (config.model, config.preset) == (spec.name, preset)
    assert {name: getattr(config, name) for name in spec.presets[preset]} == spec.presets[preset]
    # Flags given override the preset; the rest stays.
    # 12: no preset's, and a multiple of the stackgan preset's minibatch_std (4).
    assert parse(f"--preset={preset}", "--batch_size=12").batch_size == 12


@pytest.mark.parametrize("spec", registry.specs(), ids=lambda spec: spec.name)
def test_the_bare_model_is_its_default_preset(spec):
    assert parse(f"--model={spec.name}") == parse(f"--preset={spec.default_preset}")


def test_a_preset_of_another_model_is_a_clear_error():
    with pytest.raises(
        ValueError, match="preset 'dcgan_paper' is a preset of dcgan; received --model=gan"
    ):
        TrainConfig(model="gan", preset="dcgan_paper")
    with pytest.raises(
        ValueError,
        match="Unknown preset 'huge'; expected one of gan, cgan, cgan_conv, dcgan, dcgan_paper",
    ):
        TrainConfig(model="gan", preset="huge")


def _cli_model(spec):
    config = TrainConfig(model=spec.name).resolved()
    info = spec.make_dataset(config, 1)[1]
    import tensorflow as tf

    return build_and_compile(config, info, tf.distribute.get_strategy()), info


@pytest.mark.parametrize("name", BUNDLED)
def test_build_defaults_and_from_preset_make_the_cli_networks(name):
    spec = registry.get_spec(name)
    trained, info = _cli_model(spec)
    # build() with nothing but what only the data knows (the captions' words).
    data_kwargs = {"vocabulary": info.vocabulary} if name == "stackgan" else {}
    built = spec.model_class.build(**data_kwargs)
    built.compile(loss=trained.get_compile_config()["loss"])
    assert signature(built)[:2] == signature(trained)[:2]
    assert signature(spec.model_class.from_preset(spec.default_preset)) == signature(trained)


def test_from_preset_refuses_another_models_preset():
    with pytest.raises(
        ValueError, match=r"preset 'gan' builds a GAN, not a CGAN; use GAN.from_preset\('gan'\)"
    ):
        CGAN.from_preset("gan")
    # A subclass's preset is fine from the base class: a CGAN is a GAN.
    assert isinstance(GAN.from_preset("cgan"), CGAN)


@pytest.mark.parametrize("preset, betas", [("dcgan", (0.5, 0.9)), ("gan", (0.0, 0.999))])
def test_both_optimizers_take_the_presets_adam_betas(preset, betas):
    model = GAN.from_preset(preset)
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert (float(optimizer.beta_1), float(optimizer.beta_2)) == pytest.approx(betas)
    # --beta_2 overrides the preset's.
    assert parse(f"--preset={preset}", "--beta_2=0.99").beta_2 == 0.99
