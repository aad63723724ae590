"""benchmarks/peer_race.py without PyTorch, its worker protocol and its docs table.

None of these needs PyTorch or TensorFlow: the race's main process imports neither.
"""

import io
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARKS = os.path.join(ROOT, "benchmarks")
sys.path.insert(0, BENCHMARKS)

import bench_common  # noqa: E402
import results_tables  # noqa: E402


def test_without_torch_it_says_how_to_install_and_writes_nothing(tmp_path):
    output = tmp_path / "peer_race.json"
    result = subprocess.run(
        [
            sys.executable,
            os.path.join(BENCHMARKS, "peer_race.py"),
            f"--torch_python={tmp_path / 'missing' / 'python'}",
            f"--output={output}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert ".torch-venv/bin/pip install torch numpy" in result.stdout
    assert not output.exists()


def _cpuinfo(tmp_path, processors):
    path = tmp_path / "cpuinfo"
    path.write_text("\n\n".join("\n".join(f"{k}\t: {v}" for k, v in p) for p in processors))
    return str(path)


def test_cpu_description_names_the_first_processors_family_and_model(tmp_path):
    # "model name" must not be read as "model"; the second processor must not win.
    zen3 = [("processor", 0), ("cpu family", 25), ("model", 1), ("model name", "AMD EPYC 7B13")]
    zen3.append(("flags", "fpu avx2 fma"))
    other = [("processor", 1), ("cpu family", 6), ("model", 85), ("model name", "Intel Xeon")]
    other.append(("flags", "fpu avx2 avx512f"))
    assert bench_common.cpu_description(_cpuinfo(tmp_path, [zen3])) == {
        "cpu": "AMD EPYC 7B13",
        "cpu_family": 25,
        "cpu_model": 1,
        "avx512": False,
    }
    described = bench_common.cpu_description(_cpuinfo(tmp_path, [zen3[:-1], other]))
    assert (described["cpu_family"], described["cpu_model"]) == (25, 1)
    assert described["avx512"] is True  # any processor's flags
    assert bench_common.cpu_description(str(tmp_path / "missing")) == {
        "cpu": None,
        "cpu_family": None,
        "cpu_model": None,
        "avx512": None,
    }


def test_worker_answers_one_json_line_per_request():
    requests = io.StringIO('{"batch": 2, "steps": 3}\n\n{"batch": 4, "steps": 1}\n')
    replies = io.StringIO()
    bench_common.serve(lambda batch, steps: {"images": batch * steps}, requests, replies)
    assert [json.loads(line) for line in replies.getvalue().splitlines()] == [
        {"ready": True},
        {"images": 6},
        {"images": 4},
    ]


def test_docs_table_has_a_row_per_cell_with_every_round():
    rounds = [
        {
            "round": i,
            "ours_over_theirs": ratio,
            "ours_load_before_after": [1.0, 2.0],
            "theirs_load_before_after": [2.0, 3.5],
        }
        for i, ratio in enumerate((1.25, 1.5))
    ]
    cell = {
        "precision": "bfloat16",
        "batch": 64,
        "ours_over_theirs": 1.375,
        "ours_over_theirs_95": [1.25, 1.5],
        "ours_images_per_second": 30.0,
        "theirs_images_per_second": 20.0,
        "rounds": rounds,
    }
    data = {"statistic": "s", "rounds": 2, "timed_steps": 5, "warmup_steps": 2, "cpu_count": 2}
    text = results_tables.peer_race({**data, "minutes": 1.0, "cells": [cell]}, BENCHMARKS)
    assert "| bfloat16 | 64 | 30 | 20 | **1.375** [1.25, 1.5] | 1.25, 1.5 | 1-3.5 |" in text
    assert "| ours / PyTorch [95%] |" in text


def test_docs_table_names_keras_batch_norm_as_the_other_side():
    data = {"statistic": "s", "rounds": 1, "timed_steps": 5, "warmup_steps": 2, "cpu_count": 2}
    text = results_tables.peer_race(
        {**data, "minutes": 1.0, "cells": [], "theirs": "keras_batch_norm"}, BENCHMARKS
    )
    assert "Keras's `BatchNormalization` instead of `FusedBatchNormalization`" in text
    assert "| ours / Keras BN [95%] |" in text and "PyTorch" not in text
