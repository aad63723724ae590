"""Helpers the timing benchmarks share: a median with its bootstrap interval, the machine's load
and CPU, writing a results file, and a line-protocol worker for timing a model in its own process.

Standard library and NumPy only, so that a worker in another virtual environment (PyTorch's) can
import it too.
"""

import json
import os
import sys

import numpy as np


def median_with_interval(values, seed=0, resamples=2000):
    """The median of `values` and a bootstrap 95% interval of it, `(median, [low, high])`."""
    values = np.asarray(values)
    medians = np.median(
        np.random.default_rng(seed).choice(values, (resamples, len(values))), axis=1
    )
    return float(np.median(values)), [
        float(np.percentile(medians, 2.5)),
        float(np.percentile(medians, 97.5)),
    ]


def load_average():
    """The machine's 1-minute load average (other work running beside a measurement)."""
    return os.getloadavg()[0]


def cpu_description(path="/proc/cpuinfo"):
    """`{"cpu": model name, "cpu_family": int, "cpu_model": int, "avx512": bool}` from
    /proc/cpuinfo: timings differ by CPU family (the same default run took 95 s on an AVX-512 Xeon
    and 228 s on an AVX2 EPYC), and one model name covers several generations (an "AMD EPYC" of
    family 25 is a Zen 3 with model 1 and a Zen 4 with AVX-512 with model 17), so results name
    all three. `path`: the cpuinfo file to read."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return {"cpu": None, "cpu_family": None, "cpu_model": None, "avx512": None}
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())  # the first processor's
    family, model = fields.get("cpu family", ""), fields.get("model", "")
    return {
        "cpu": fields.get("model name") or None,
        "cpu_family": int(family) if family.isdigit() else None,
        "cpu_model": int(model) if model.isdigit() else None,
        "avx512": "avx512f" in text,
    }


def write_report(path, report):
    """Writes `report` as indented JSON to `path`, creating its folder."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)


def serve(run_round, stdin=sys.stdin, stdout=sys.stdout):
    """Answers one JSON request per input line with `run_round(**request)`'s JSON, until EOF.

    Keeps a timed model alive in its own process between the rounds another process orders.
    """
    stdout.write(json.dumps({"ready": True}) + "\n")
    stdout.flush()
    for line in stdin:
        if line.strip():
            stdout.write(json.dumps(run_round(**json.loads(line))) + "\n")
            stdout.flush()
