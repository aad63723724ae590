"""The README's first command, timed: `keras-gans-train` with no flags (the default CGAN run:
training, the held-out evaluation and the export), wall time and CPU use, beside variants.

Each variant runs the console script in a fresh output folder; the CPU figure is the child's
user + system time over its wall time (200% = both cores of a 2-core machine busy). Variants
alternate when `--rounds` > 1, and the machine's load average is recorded around each run.

    python benchmarks/default_run.py                                  # the default, once
    python benchmarks/default_run.py --variant=spe14:--steps_per_execution=14 --rounds=2

Results go to benchmarks/results/default_run.json (one entry per run, replacing the file), or to
`--output`; the file names the CPU, whose family changes the figures twofold.
"""

import argparse
import json
import os
import platform
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common  # noqa: E402

RESULTS = os.path.join(os.path.dirname(__file__), "results", "default_run.json")


def child_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(flags):
    output_dir = tempfile.mkdtemp(prefix="default_run_")
    command = [
        os.path.join(os.path.dirname(sys.executable), "keras-gans-train"),
        f"--output_dir={output_dir}",
        "--verbose=0",
        *flags,
    ]
    load_before, cpu_before, start = os.getloadavg()[0], child_cpu_seconds(), time.time()
    done = subprocess.run(command, capture_output=True, text=True)
    wall, cpu = time.time() - start, child_cpu_seconds() - cpu_before
    shutil.rmtree(output_dir, ignore_errors=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"keras-gans-train {' '.join(flags)} exited {done.returncode}")
    line = [x for x in (done.stdout + done.stderr).splitlines() if "Evaluation:" in x]
    ratio = re.search(r"= ([0-9.]+)x real", line[-1]) if line else None
    return {
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_percent": round(100 * cpu / wall),
        "load_average_before_after": [load_before, os.getloadavg()[0]],
        "fcd_ratio": float(ratio.group(1)) if ratio else None,
        "evaluation_line": line[-1].strip() if line else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="NAME:FLAGS (space-separated flags) run beside the default.",
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args()
    variants = {"default": []}
    for text in args.variant:
        name, _, flags = text.partition(":")
        variants[name] = flags.split()
    runs = []
    for round_index in range(args.rounds):
        for name, flags in variants.items():
            run = {"variant": name, "flags": flags, "round": round_index, **run_once(flags)}
            print(json.dumps(run), flush=True)
            runs.append(run)
    result = {
        "command": "python benchmarks/default_run.py " + shlex.join(sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            **bench_common.cpu_description(),
        },
        "runs": runs,
    }
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
