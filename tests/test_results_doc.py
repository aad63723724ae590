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


def test_readme_model_table_is_up_to_date(make_results):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8", newline="") as handle:
        readme = handle.read()
    expected = make_results.with_readme_block(readme, make_results.readme_models())
    assert readme == expected, (
        "README.md's model table is stale: run python benchmarks/make_results.py"
    )


def test_readme_headlines_follow_quality_json(make_results, tmp_path):
    (tmp_path / "quality.json").write_text(
        json.dumps(
            {
                "results": {
                    "cgan": {
                        "config": {"image_size": 16, "epochs": 3},
                        "evaluation": {
                            "fcd_ratio": 2.5,
                            "num_samples": 10,
                            "seed": 4,
                            "generated": {"conditional_accuracy": 0.5},
                            "real_baseline": {"conditional_accuracy": 0.9},
                        },
                    }
                }
            }
        )
    )
    block = make_results.readme_models(str(tmp_path))
    assert (
        "FCD ratio 2.50 (**misses** the target 1.5); accuracy 0.500, real 0.900; n = 10, seed 4"
        in block
    )
    assert "not scored" in block  # models without a record still get their row
    with pytest.raises(ValueError, match="lacks the lines"):
        make_results.with_readme_block("# no markers\n", block)


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
