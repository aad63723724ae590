"""`evaluate_run` on a tiny trained CGAN run, and `keras-gans-eval` on it and on bad input."""

import json
import os
import re
import subprocess
import sys

import pytest
from cli_client import one_error_line

from keras_gans.metrics import evaluate
from keras_gans.training import TrainConfig, train

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
FIGURES = {
    "classifier_score",
    "frechet_classifier_distance",
    "kernel_distance",
    "conditional_accuracy",
}


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("cgan_run"))
    train(
        TrainConfig(
            model="cgan",
            epochs=1,
            steps_per_epoch=2,
            export=False,
            evaluate=False,
            output_dir=out,
            verbose=0,
        )
    )
    return out


def test_evaluate_run_merges_figures_beside_the_baseline(
    cgan_run, digits_reference, classifier_cache
):
    result = evaluate.evaluate_run(cgan_run, num_samples=200, seed=1, cache_dir=classifier_cache)
    assert result["model"] == "cgan" and result["num_samples"] == 200
    assert FIGURES <= set(result["generated"]) and FIGURES <= set(result["real_baseline"])
    assert 0.0 <= result["generated"]["conditional_accuracy"] <= 1.0
    # Real digits under the classifier: near its held-out accuracy, and an untrained-ish generator
    # is much farther from the held-out digits than the train split is.
    assert result["real_baseline"]["conditional_accuracy"] >= 0.95
    assert result["fcd_ratio"] > 1.0
    assert result["classifier"]["heldout_accuracy"] == digits_reference.heldout_accuracy

    with open(os.path.join(cgan_run, "metrics.json"), encoding="utf-8") as handle:
        metrics = json.load(handle)
    assert "d_loss" in metrics and "g_loss" in metrics  # the run's losses are kept
    assert metrics["evaluation"]["generated"] == pytest.approx(result["generated"])


def test_evaluate_run_is_reproducible_and_replaces_only_its_key(cgan_run, classifier_cache):
    first = evaluate.evaluate_run(
        cgan_run, num_samples=64, seed=2, cache_dir=classifier_cache, write=False
    )
    second = evaluate.evaluate_run(cgan_run, num_samples=64, seed=2, cache_dir=classifier_cache)
    assert first["generated"] == pytest.approx(second["generated"])
    with open(os.path.join(cgan_run, "metrics.json"), encoding="utf-8") as handle:
        metrics = json.load(handle)
    assert metrics["evaluation"]["num_samples"] == 64 and "d_loss" in metrics


def test_evaluate_an_exported_generator_inside_its_run(cgan_run, classifier_cache):
    result = evaluate.evaluate_run(
        os.path.join(cgan_run, "generator.keras"),
        num_samples=50,
        cache_dir=classifier_cache,
        write=False,
    )
    assert result["model"] == "cgan" and 0.0 <= result["generated"]["conditional_accuracy"] <= 1.0


def test_evaluate_run_errors(cgan_run, tmp_path, classifier_cache):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "num_samples must be an integer in [2, 447] (the smaller of the two disjoint held-out "
            "sets, the evaluation's reference and the real baseline); received 5000."
        ),
    ):
        evaluate.evaluate_run(cgan_run, num_samples=5000, cache_dir=classifier_cache)
    with pytest.raises(ValueError, match="does not exist; expected a run folder"):
        evaluate.evaluate_run(tmp_path / "missing")
    lone = tmp_path / "lone.keras"
    lone.write_bytes(b"")
    with pytest.raises(ValueError, match="No config.json found in or above"):
        evaluate.evaluate_run(lone)


def test_merge_metrics_keeps_other_entries(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps({"d_loss": 0.5}))
    evaluate.merge_metrics(str(path), {"fcd": 1.0})
    assert json.loads(path.read_text()) == {"d_loss": 0.5, "evaluation": {"fcd": 1.0}}
    assert os.listdir(tmp_path) == ["metrics.json"]


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "keras_gans.flags.eval_main", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def test_cli_prints_the_table(cgan_run, classifier_cache, digits_reference):
    # A subprocess: each entry point defines its own absl flags (--seed in several), and one
    # process importing two of them would define a flag twice.
    result = run_cli(f"--run_dir={cgan_run}", "--num_samples=40", f"--cache_dir={classifier_cache}")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "conditional_accuracy" in out and "real baseline" in out and "metrics.json" in out


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, cli):
    result = cli.run("eval_main", [f"--run_dir={tmp_path / 'missing'}"])
    assert "does not exist" in one_error_line(result, "keras-gans-eval")
