"""docs/results.md is generated from benchmarks/results/*.json and must match them.

Loads benchmarks/make_results.py by path (benchmarks/ is not a package); it imports only the
standard library, so these tests do not need TensorFlow themselves.
"""

import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def make_results():
    spec = importlib.util.spec_from_file_location(
        "make_results", os.path.join(ROOT, "benchmarks", "make_results.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_results_doc_is_up_to_date(make_results):
    expected = make_results.render(os.path.join(ROOT, "benchmarks", "results"))
    with open(os.path.join(ROOT, "docs", "results.md"), encoding="utf-8", newline="") as handle:
        current = handle.read()
    assert current == expected, "docs/results.md is stale: run python benchmarks/make_results.py"


def test_readme_tables_are_up_to_date(make_results):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8", newline="") as handle:
        readme = handle.read()
    expected = make_results.with_readme_blocks(readme)
    assert readme == expected, "README.md's tables are stale: run python benchmarks/make_results.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location(
        "quality", os.path.join(ROOT, "benchmarks", "quality.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # TensorFlow is imported only when it trains
    return module


def _run(fcd_ratio, accuracy, seconds):
    return {
        "config": {"image_size": 16, "epochs": 3},
        "train_seconds": seconds,
        "evaluation": {"num_samples": 10},
        "figures": {"": {"fcd_ratio": fcd_ratio, "conditional_accuracy": accuracy}},
    }


def test_targets_hold_for_the_median_of_the_seeds(quality):
    runs = {"0": _run(1.2, 0.99, 10), "1": _run(1.4, 0.96, 30), "2": _run(2.0, 0.98, 20)}
    summary = quality.summarise("cgan", runs)
    assert summary["median"][""] == {"fcd_ratio": 1.4, "conditional_accuracy": 0.98}
    assert summary["met"]  # seed 2's FCD and seed 1's accuracy miss, the medians do not
    runs["0"] = _run(1.6, 0.99, 10)
    summary = quality.summarise("cgan", runs)
    assert not summary["met"]
    assert [c["figure"] for c in summary["checks"] if not c["met"]] == ["fcd_ratio"]


def _evaluation(generated_fcd, baseline_fcd, generated_nn, baseline_nn, accuracy):
    part = {
        "generated": {
            "frechet_classifier_distance": generated_fcd,
            "training_nn_distance": generated_nn,
            "domain_accuracy": accuracy,
        },
        "real_baseline": {
            "frechet_classifier_distance": baseline_fcd,
            "training_nn_distance": baseline_nn,
            "domain_accuracy": 1.0,
        },
        "fcd_ratio": generated_fcd / baseline_fcd,
        "memorisation_ratio": generated_nn / baseline_nn,
        "cycle_l1": accuracy / 10,
    }
    return {"model": "cyclegan", "num_samples": 4, "a_to_b": part, "b_to_a": dict(part)}


def test_draws_pool_into_ratios_of_mean_distances(quality):
    assert quality.evaluation_seeds(2, 3) == [2, 1002, 2002]
    draws = [_evaluation(0.2, 0.1, 1.0, 1.0, 0.9), _evaluation(0.4, 0.3, 0.5, 1.5, 1.0)]
    pooled = quality.pooled_figures(draws)
    assert sorted(pooled) == ["a_to_b", "b_to_a"]
    figures = pooled["a_to_b"]
    # (0.2 + 0.4) / (0.1 + 0.3), not the mean of the draws' ratios 2 and 4/3 (5/3).
    assert figures["fcd_ratio"] == pytest.approx(1.5, rel=1e-12)
    assert figures["memorisation_ratio"] == pytest.approx(0.75 / 1.25, rel=1e-12)
    assert figures["domain_accuracy"] == pytest.approx(0.95, rel=1e-12)
    assert figures["cycle_l1"] == pytest.approx(0.095, rel=1e-12)
    # One draw is that draw's own figures.
    assert quality.pooled_figures(draws[:1]) == quality.section_figures(draws[0])


def test_readme_headlines_follow_quality_json(make_results, quality, tmp_path):
    runs = {"0": _run(1.6, 0.99, 10), "1": _run(1.4, 0.96, 30), "2": _run(2.0, 0.5, 20)}
    entry = {"runs": runs, **quality.summarise("cgan", runs)}
    (tmp_path / "quality.json").write_text(json.dumps({"presets": {"cgan": entry}}))
    block = make_results.readme_models(str(tmp_path))
    assert (
        "accuracy 0.96 (>= 0.97: **missed**); FCD ratio 1.6 (<= 1.5: **missed**); "
        "FCD ratio per seed 1.60 / 1.40 / 2.00; medians of seeds 0, 1, 2, n = 10" in block
    )
    assert "3 epochs, 20 s" in block  # the median of the seeds' seconds
    assert "not scored: no reference classifier for faces" in block  # LAPGAN on faces
    assert "not measured" in block  # presets without a record still get their row
    with pytest.raises(ValueError, match="lacks the lines"):
        make_results.with_readme_block("# no markers\n", block)


def test_quality_table_names_each_runs_cpu(make_results, quality, tmp_path):
    runs = {"0": _run(1.6, 0.99, 10), "1": _run(1.4, 0.96, 30)}
    runs["1"]["machine"] = {"cpu": "AMD EPYC", "cpu_family": 25, "cpu_model": 17, "avx512": True}
    entry = {"runs": runs, **quality.summarise("cgan", runs)}
    (tmp_path / "quality.json").write_text(json.dumps({"presets": {"cgan": entry}}))
    rows = [r for r in make_results.render(str(tmp_path)).splitlines() if r.startswith("| `cgan`")]
    assert "| seed 0 | 3 | 10 | not recorded |" in rows[0]
    assert "| seed 1 | 3 | 30 | AMD EPYC 25/17 AVX-512 |" in rows[1]
    assert "| median |  |  |  |" in rows[2]


def test_a_ragged_table_stops_the_render(make_results, monkeypatch, tmp_path):
    import results_tables_format as formatting  # on the path once make_results is loaded

    assert formatting.table(["a", "b"], [("x", 2)]) == "| a | b |\n|---|---:|\n| x | 2 |"
    with pytest.raises(formatting.RaggedTableError, match="row 1 has 1 cells for 2 columns"):
        formatting.table(["a", "b"], [("x", 2), ("y",)])
    # Not read as an unknown layout (which falls back to the generic table): the render fails.
    ragged = lambda data, results_dir: formatting.table(["a"], [("x", 2)])  # noqa: E731
    monkeypatch.setitem(make_results.RENDERERS, "quality", ragged)
    (tmp_path / "quality.json").write_text(json.dumps({"presets": {}}))
    with pytest.raises(formatting.RaggedTableError):
        make_results.render(str(tmp_path))


def test_every_results_file_has_a_section(make_results):
    text = make_results.render(os.path.join(ROOT, "benchmarks", "results"))
    for name in os.listdir(os.path.join(ROOT, "benchmarks", "results")):
        if name.endswith(".json"):
            assert f"\n## {name[:-5]}\n" in text


def test_unknown_and_malformed_files_get_generic_tables(make_results, tmp_path):
    (tmp_path / "new_benchmark.json").write_text(json.dumps({"speed": {"b": 2.5, "a": 12345.6}}))
    # A known name whose layout its renderer does not expect falls back to the generic table.
    (tmp_path / "quality.json").write_text(json.dumps({"results": [1, 2]}))
    (tmp_path / "broken.json").write_text("{not json")
    text = make_results.render(str(tmp_path))
    assert "| `speed.a` | 12,346 |" in text and "| `speed.b` | 2.5 |" in text
    assert "| `results` | 1, 2 |" in text
    assert "## broken\n\nNot readable as JSON" in text
    assert make_results.render(str(tmp_path)) == text  # deterministic


def test_check_flag_reports_stale_output(make_results, tmp_path, capsys):
    (tmp_path / "a.json").write_text(json.dumps({"x": 1}))
    output = tmp_path / "results.md"
    args = ["--results_dir", str(tmp_path), "--output", str(output), "--readme", ""]
    assert make_results.main(args + ["--check"]) == 1
    assert "run python benchmarks/make_results.py" in capsys.readouterr().err
    assert make_results.main(args) == 0
    assert make_results.main(args + ["--check"]) == 0
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
