"""One number of steps per epoch: the fit, the resume skip and the learning-rate schedules share it.

Keras runs whole executions on the endless stream `train` fits, so a `steps_per_execution` that
does not divide the steps per epoch would overrun every epoch (15 steps for 14 with 3); it is
refused before anything trains.
"""

import dataclasses
import json

import pytest
from absl import flags

from keras_gans.flags import train as train_cli
from keras_gans.training import TrainConfig, get_spec, make_strategy, train
from keras_gans.training.train import build_and_compile, steps_per_epoch

QUIET = dict(export=False, evaluate=False, verbose=0)
TINY_CYCLEGAN = dict(batch_size=2, base_filters=4, residual_blocks=1)
TINY_CYCLEGAN_FLAGS = ["--batch_size=2", "--base_filters=4", "--residual_blocks=1"]


def resolved(**fields):
    config = TrainConfig(**fields)
    return config.resolved()


def test_a_non_divisor_is_refused_before_training(tmp_path):
    # The digits' train half: 896 // 64 = 14 steps per epoch.
    with pytest.raises(ValueError) as error:
        train(
            TrainConfig(
                model="gan",
                epochs=1,
                steps_per_execution=3,
                output_dir=str(tmp_path / "run"),
                **QUIET,
            )
        )
    assert str(error.value) == (
        "steps_per_execution (3) must divide the 14 steps per epoch: one of 1, 2, 7, 14 "
        "(or set steps_per_epoch to a multiple of 3)."
    )
    assert not (tmp_path / "run").exists()
    info = get_spec("gan").make_dataset(resolved(model="gan"), 1)[1]
    with pytest.raises(
        ValueError,
        match=r"^steps_per_execution \(2\) must divide the 5 steps per epoch: one of 1, 5 ",
    ):
        steps_per_epoch(resolved(model="gan", steps_per_epoch=5, steps_per_execution=2), info)
    assert steps_per_epoch(resolved(model="gan", steps_per_execution=7), info) == 14
    assert (
        steps_per_epoch(resolved(model="gan", steps_per_epoch=6, steps_per_execution=3), info) == 6
    )


def test_epoch_runs_each_epoch_in_one_call(tmp_path):
    # 2 epochs of 3 steps, each one call of 3 steps: 6 steps, no overrun.
    result = train(
        TrainConfig(
            model="gan",
            epochs=2,
            steps_per_epoch=3,
            steps_per_execution="epoch",
            output_dir=str(tmp_path),
            **QUIET,
        )
    )
    assert result.model.steps_per_execution == 3
    assert int(result.model.g_optimizer.iterations) == 6
    info = get_spec("gan").make_dataset(resolved(model="gan"), 1)[1]
    assert steps_per_epoch(resolved(model="gan", steps_per_execution="epoch"), info) == 14
    unknown = dataclasses.replace(info, num_examples=None)
    with pytest.raises(ValueError) as error:
        steps_per_epoch(resolved(model="gan", steps_per_execution="epoch"), unknown)
    assert str(error.value) == (
        "steps_per_execution='epoch' needs the epoch's length, but the size of digits is "
        "unknown: give --steps_per_epoch."
    )


def test_the_default_preset_compiles_one_xla_call_per_epoch():
    # The default run's speed: XLA, one call per epoch (benchmarks/default_run.py).
    config = resolved(model="cgan")
    assert (config.jit_compile, config.steps_per_execution) == (True, "epoch")
    # Other presets keep Keras's defaults; a given value beats the preset's.
    assert (resolved(model="gan").jit_compile, resolved(model="gan").steps_per_execution) == (
        False,
        1,
    )
    mine = resolved(model="cgan", jit_compile=False, steps_per_execution=2)
    assert (mine.jit_compile, mine.steps_per_execution) == (False, 2)


@pytest.fixture
def run_cli(capsys):
    """Runs `keras-gans-train` in-process like `app.run`; returns (exit code, stdout, stderr)."""

    def run(*argv):
        flags.FLAGS.unparse_flags()
        remaining = flags.FLAGS(
            ["keras-gans-train", "--noexport", "--noevaluate", "--verbose=0", *argv]
        )
        try:
            train_cli.main(remaining)
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    flags.FLAGS.unparse_flags()


def test_the_cli_reads_epoch_and_numbers(run_cli):
    code, out, _ = run_cli("--model=gan", "--steps_per_execution=epoch", "--dry_run")
    assert code == 0 and json.loads(out)["steps_per_execution"] == "epoch"
    code, out, _ = run_cli("--model=gan", "--steps_per_execution=7", "--dry_run")
    assert code == 0 and json.loads(out)["steps_per_execution"] == 7
    code, _, err = run_cli("--model=gan", "--steps_per_execution=-2", "--dry_run")
    assert code == 2 and err.strip() == (
        "keras-gans-train: error: steps_per_execution must be a positive integer or 'epoch'; "
        "received -2."
    )


def test_the_cli_refuses_a_non_divisor_in_one_line(run_cli, tmp_path):
    code, _, err = run_cli("--model=gan", "--steps_per_execution=3", f"--output_dir={tmp_path}")
    assert code == 2
    assert err.strip() == (
        "keras-gans-train: error: steps_per_execution (3) must divide the 14 steps per epoch: "
        "one of 1, 2, 7, 14 (or set steps_per_epoch to a multiple of 3)."
    )


def test_stackgan_halves_after_50_of_the_fits_epochs(tmp_path):
    # --steps_per_epoch=3 of the 28 the captioned digits (2 x 896) would give: the halving
    # reads 3 too.
    config = resolved(model="stackgan", steps_per_epoch=3, output_dir=str(tmp_path), **QUIET)
    info = get_spec("stackgan").make_dataset(config, 1)[1]
    model = build_and_compile(config, info, make_strategy("default"))
    for optimizer in (model.d_optimizer, model.g_optimizer):
        optimizer.iterations.assign(149)
        assert float(optimizer.learning_rate) == pytest.approx(config.learning_rate)
        optimizer.iterations.assign(150)
        assert float(optimizer.learning_rate) == pytest.approx(config.learning_rate / 2)


def test_cyclegan_decays_to_zero_at_the_last_real_step(tmp_path):
    # 2 epochs of 4 steps run as executions of 2; the last epoch decays: 0 at step 8, the end.
    result = train(
        TrainConfig(
            model="cyclegan",
            epochs=2,
            decay_epochs=1,
            steps_per_epoch=4,
            steps_per_execution=2,
            output_dir=str(tmp_path),
            **TINY_CYCLEGAN,
            **QUIET,
        )
    )
    optimizer = result.model.g_optimizer
    assert int(optimizer.iterations) == 8
    assert float(optimizer.learning_rate) == 0.0
    optimizer.iterations.assign(6)  # half way through the decay
    assert float(optimizer.learning_rate) == pytest.approx(result.config.learning_rate / 2)


def test_cyclegan_with_one_epoch_trains_from_the_cli(run_cli, tmp_path):
    # No --decay_epochs: it follows the one epoch (half of it: 0), as the paper decays the
    # second half.
    code, out, err = run_cli(
        "--model=cyclegan",
        "--epochs=1",
        "--steps_per_epoch=1",
        *TINY_CYCLEGAN_FLAGS,
        f"--output_dir={tmp_path}",
    )
    assert code in (0, None), err
    assert "Run folder:" in out
    saved = json.loads((tmp_path / "config.json").read_text())
    assert (saved["epochs"], saved["decay_epochs"]) == (1, 0)
    # Running it again finds the finished run: the resolved decay is the saved one.
    assert run_cli(
        "--model=cyclegan",
        "--epochs=1",
        "--steps_per_epoch=1",
        *TINY_CYCLEGAN_FLAGS,
        f"--output_dir={tmp_path}",
    )[0] in (0, None)
    # An explicit contradiction stays an error, in one line.
    code, _, err = run_cli(
        "--model=cyclegan", "--epochs=1", "--decay_epochs=4", f"--output_dir={tmp_path / 'b'}"
    )
    assert code == 2
    assert (
        err.strip()
        == "keras-gans-train: error: decay_epochs must be at most epochs (1); received 4."
    )
