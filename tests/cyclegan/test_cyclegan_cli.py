"""`keras-gans-train --model=cyclegan`: presets, dataset forms and the training spec (no fit)."""

import pytest
from absl import flags

from keras_gans.flags import train as cli
from keras_gans.training import get_spec
from keras_gans.training.train import steps_per_epoch


@pytest.fixture
def parse():
    """Parses argv into the CLI's flags and returns the resolved `TrainConfig`."""

    def run(*argv):
        flags.FLAGS.unparse_flags()
        flags.FLAGS(["keras-gans-train", *argv])
        return cli.config_from_flags(flags.FLAGS).resolved()

    yield run
    flags.FLAGS.unparse_flags()


def test_presets(parse):
    paper_rate = 2e-4
    cpu = parse("--preset=cyclegan")
    assert (cpu.model, cpu.dataset, cpu.image_size, cpu.channels) == ("cyclegan", "textures", 32, 1)
    assert (cpu.residual_blocks, cpu.epochs, cpu.decay_epochs, cpu.loss) == (
        3,
        30,
        15,
        "least_squares",
    )
    assert cpu.learning_rate == paper_rate * 5 and cpu.batch_size == 4
    paper = parse("--preset=cyclegan_horse2zebra")
    assert (paper.dataset, paper.image_size, paper.channels) == (
        "tfds:cycle_gan/horse2zebra",
        256,
        3,
    )
    assert (paper.residual_blocks, paper.base_filters, paper.batch_size) == (9, 64, 1)
    assert (paper.epochs, paper.decay_epochs, paper.learning_rate) == (200, 100, paper_rate)
    # The bare model name takes the CPU preset, loss and rate included; other models keep theirs.
    bare = parse("--model=cyclegan")
    assert (bare.loss, bare.learning_rate, bare.epochs, bare.base_filters) == (
        "least_squares",
        cpu.learning_rate,
        30,
        12,
    )
    dcgan = parse("--model=dcgan")
    assert (dcgan.loss, dcgan.learning_rate) == ("hinge", paper_rate)


def test_dataset_forms(parse):
    assert parse(
        "--model=cyclegan", "--dataset=folders:/data/horses,/data/zebras"
    ).dataset.startswith("folders:")
    with pytest.raises(flags.IllegalFlagValueError, match="--dataset must be one of"):
        parse("--model=cyclegan", "--dataset=folders:/data/horses")


def test_spec_builds_data_and_a_previewing_model(parse):
    config = parse("--model=cyclegan", "--base_filters=4", "--residual_blocks=1", "--batch_size=4")
    spec = get_spec("cyclegan")
    dataset, info = spec.make_dataset(config, 2)
    assert dataset.element_spec["image_b"].shape == (4, 32, 32, 1) and info.num_examples == 512
    model = spec.build(config, info)
    assert len([layer for layer in model.generator_ab.layers if layer.name.startswith("add")]) == 1
    grid, columns = model.preview(seed=0)
    assert columns == 6 and grid.shape == (24, 32, 32, 1)
    schedule = spec.learning_rate(config, steps_per_epoch(config, info))
    # The preset's 30 epochs: the last half decays.
    assert (schedule.steps_per_epoch, schedule.constant_epochs, schedule.decay_epochs) == (
        128,
        15,
        15,
    )
    assert schedule.initial_learning_rate == 1e-3
