"""`train(config)` and `keras-gans-train` evaluate the finished run (`--evaluate`, the default)."""

import importlib
import json
import logging
import os

import numpy as np
import pytest

from keras_gans.models import GAN
from keras_gans.training import TrainConfig, multiworker, train

# The module, not the `train` function the package exports under the same name.
train_lib = importlib.import_module("keras_gans.training.train")

# Without the cgan preset's XLA compile (about 2 s a run), which these tests are not about.
TINY_CGAN = dict(
    model="cgan", epochs=1, steps_per_epoch=2, export=False, verbose=0, jit_compile=False
)


def read_metrics(run_dir):
    with open(os.path.join(run_dir, "metrics.json"), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def cache(monkeypatch, classifier_cache, digits_reference):
    """The session's classifier cache (digits classifier already trained) as the default cache."""
    monkeypatch.setenv("KERAS_GANS_CACHE", classifier_cache)
    return classifier_cache


def test_finished_run_gains_the_evaluation_only_where_asked(tmp_path, cache, monkeypatch):
    out = str(tmp_path / "run")
    skipped = train(TrainConfig(**TINY_CGAN, output_dir=out, evaluate=False))
    assert skipped.evaluation is None and "evaluation" not in read_metrics(out)

    # Started again with the evaluation on: --evaluate may change on resume, nothing retrains,
    # and the finished run is scored.
    result = train(TrainConfig(**TINY_CGAN, output_dir=out, eval_samples=100))
    assert int(result.model.g_optimizer.iterations) == 2
    metrics = read_metrics(out)
    assert np.isfinite(metrics["d_loss"]) and np.isfinite(metrics["g_loss"])  # the losses stay
    evaluation = metrics["evaluation"]
    assert evaluation["model"] == "cgan" and evaluation["num_samples"] == 100
    assert 0.0 <= evaluation["generated"]["conditional_accuracy"] <= 1.0
    assert evaluation["real_baseline"]["conditional_accuracy"] >= 0.95
    assert evaluation["fcd_ratio"] > 0 and evaluation["classifier"]["name"] == "digits"
    assert result.evaluation["generated"] == pytest.approx(evaluation["generated"])

    # A multi-worker run's other workers train and save alongside the chief but never score.
    monkeypatch.setattr(multiworker, "is_chief", lambda strategy: False)
    assert train(TrainConfig(**TINY_CGAN, output_dir=out, eval_samples=100)).evaluation is None


def test_run_without_a_reference_classifier_skips_with_a_log_line(tmp_path, caplog):
    config = TrainConfig(
        model="lapgan",
        dataset="faces",
        image_size=16,
        levels=2,
        base_filters=4,
        latent_dim=8,
        batch_size=8,
        epochs=1,
        steps_per_epoch=1,
        export=False,
        verbose=0,
        output_dir=str(tmp_path),
    )
    with caplog.at_level(logging.WARNING, logger="keras_gans.training.train"):
        result = train(config)
    assert result.evaluation is None and "evaluation" not in read_metrics(str(tmp_path))
    assert "Not evaluating" in caplog.text and "received dataset 'faces'" in caplog.text


def test_non_finite_weights_are_never_evaluated(tmp_path, caplog):
    model = GAN.build((8, 8, 1), latent_dim=4)
    model.generator.weights[0].assign(np.full(model.generator.weights[0].shape, np.nan, np.float32))
    config = TrainConfig(model="gan", output_dir=str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="keras_gans.training.train"):
        # No run folder exists: evaluating would fail, so returning None shows it was not tried.
        assert train_lib._evaluate(model, config, str(tmp_path), skip_reason=None) is None
    assert "non-finite weights" in caplog.text


def test_too_many_eval_samples_fail_before_training(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(
        ValueError,
        match=r"eval_samples must be an integer in \[2, 447\] for cgan runs on "
        r"'digits'.*received 5000",
    ):
        train(TrainConfig(model="cgan", eval_samples=5000, output_dir=str(out)))
    assert not out.exists()


# The training CLI's flags and `main`, in the session's `keras_gans.flags.train` worker
# (`cli_client`): absl flags are process-global, and a fresh process per command line would pay a
# TensorFlow start-up. tests/flags/test_train_cli.py runs the real `app.run`.
CLI = (
    "--model=cgan",
    "--epochs=1",
    "--steps_per_epoch=2",
    "--noexport",
    "--verbose=0",
    "--nojit_compile",
)


def test_cli_prints_a_summary_line_and_noevaluate_skips(tmp_path, cache, cli):
    # The worker's own environment predates the fixture: name the cache per command line.
    env = {"KERAS_GANS_CACHE": cache}
    a, b = tmp_path / "a", tmp_path / "b"
    evaluated = cli.run("train", [*CLI, f"--output_dir={a}", "--eval_samples=50"], env=env)
    assert evaluated["code"] == 0, evaluated["stderr"][-2000:] + evaluated["traceback"]
    lines = [line for line in evaluated["stdout"].splitlines() if line.startswith("Evaluation: ")]
    assert len(lines) == 1
    assert "cgan on digits, n=50: conditional_accuracy" in lines[0] and "x real" in lines[0]
    assert read_metrics(str(a))["evaluation"]["num_samples"] == 50

    skipped = cli.run("train", [*CLI, f"--output_dir={b}", "--noevaluate"], env=env)
    assert skipped["code"] == 0, skipped["stderr"][-2000:] + skipped["traceback"]
    assert "Evaluation:" not in skipped["stdout"] and "Not evaluating" not in skipped["stderr"]
    assert "evaluation" not in read_metrics(str(b))
