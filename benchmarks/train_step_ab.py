"""Our train_step against the keras.io-style baseline, paired on the very same network instances.

`train_throughput.py` builds a separate model per variant; on this shared 2-core machine one
instance can run 15 to 30% faster than another of the same architecture, and a `fit` call per
block adds its own setup time. Here, for every preset and batch size in one run:

- two pairs, each with its own networks: in a pair the baseline (`train_throughput.PlainGAN`)
  trains the networks of our model beside it. Pair `a` builds ours first, pair `b` the baseline
  first: a run of the A/A control (below) showed the first-built train function of two identical
  ones up to 4% slower or faster, so each side gets one of each;
- `--control` adds a second instance of our class on pair `a`'s networks (an A/A pair: its ratio
  to ours shows what the method reads when there is no difference);
- each variant runs its compiled train function directly (`model.train_function(iterator)`), in
  blocks of about `--block_seconds`; the blocks rotate in every group, in alternating direction;
- a group's ratio is the baselines' time / our two models' time over the group's blocks (> 1: ours
  is faster); the report gives the median over groups and a bootstrap 95% interval of that median.

Writes benchmarks/results/train_step_ab.json and prints a Markdown table.

Run: python benchmarks/train_step_ab.py [--presets=dcgan_32] [--batches=32,128] [--groups=20]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import train_throughput as tt  # noqa: E402
from bench_common import (  # noqa: E402, F401 - cyclegan_step imports the first from here
    load_average,
    median_with_interval,
    write_report,
)

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "train_step_ab.json")


def _ready(model):
    model.compile()
    model.make_train_function()
    return model


def variants(preset, control=False):
    """`{"ours_a", "baseline_a", "ours_b", "baseline_b"[, "control"]}`; pairs share networks."""
    models = {}
    for pair, ours_first in (("a", True), ("b", False)):
        ours = tt.with_policy("float32", tt.PRESETS[preset])
        baseline = tt.PlainGAN(
            ours.generator, ours.discriminator, ours.latent_dim, isinstance(ours, tt.CGAN)
        )
        for name, model in (
            (("ours", ours), ("baseline", baseline))
            if ours_first
            else (("baseline", baseline), ("ours", ours))
        ):
            models[f"{name}_{pair}"] = _ready(model)
    if control:
        ours = models["ours_a"]
        extra = {"num_classes": ours.num_classes} if isinstance(ours, tt.CGAN) else {}
        models["control"] = _ready(type(ours)(ours.generator, ours.discriminator, **extra))
    return models, models["ours_a"]


def timed_steps(model, iterator, steps):
    """Seconds for `steps` calls of the compiled train function, waiting for the last result."""
    start = time.perf_counter()
    for _ in range(steps):
        logs = model.train_function(iterator)
    logs = logs.get_value() if hasattr(logs, "get_value") else logs
    float(logs["d_loss"])
    return time.perf_counter() - start


def measure(preset, batch, groups, block_seconds, control=False):
    models, ours = variants(preset, control)
    iterators = {name: iter(tt.synthetic_batches(ours, batch)) for name in models}
    for name, model in models.items():
        timed_steps(model, iterators[name], 3)  # trace and warm up
    one_step = min(timed_steps(model, iterators[name], 2) / 2 for name, model in models.items())
    steps = max(1, int(round(block_seconds / one_step)))
    names = list(models)
    seconds = {name: [] for name in names}
    for group in range(groups):
        order = names[group % len(names) :] + names[: group % len(names)]
        for name in order[::-1] if group % 2 else order:
            seconds[name].append(timed_steps(models[name], iterators[name], steps))
    seconds = {name: np.asarray(values) for name, values in seconds.items()}
    ours_seconds = seconds["ours_a"] + seconds["ours_b"]
    row = {"preset": preset, "batch": batch, "steps_per_block": steps, "groups": groups}
    ratio, interval = median_with_interval(
        (seconds["baseline_a"] + seconds["baseline_b"]) / ours_seconds
    )
    row["ours_over_baseline"], row["ours_over_baseline_95"] = ratio, interval
    for pair in ("a", "b"):
        row[f"ours_over_baseline_{pair}"] = float(
            np.median(seconds[f"baseline_{pair}"] / seconds[f"ours_{pair}"])
        )
    if control:
        ratio, interval = median_with_interval(seconds["control"] / seconds["ours_a"])
        row["ours_a_over_control"], row["ours_a_over_control_95"] = ratio, interval
    for name in names:
        row[f"{name}_images_per_second"] = float(np.median(steps * batch / seconds[name]))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default=",".join(tt.PRESETS))
    parser.add_argument("--batches", default="32,128")
    parser.add_argument(
        "--groups", type=int, default=20, help="Rotations of the variants per cell."
    )
    parser.add_argument("--block_seconds", type=float, default=0.5)
    parser.add_argument("--control", action="store_true", help="Add the A/A control instance.")
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args()
    load_before = load_average()
    started = time.time()
    rows = []
    for preset in args.presets.split(","):
        for batch in (int(b) for b in args.batches.split(",")):
            rows.append(measure(preset, batch, args.groups, args.block_seconds, args.control))
            print(json.dumps(rows[-1]), flush=True)
    ratios = np.array([row["ours_over_baseline"] for row in rows])
    report = {
        "statistic": (
            "per cell: median over groups of the two baselines' seconds / our two models' seconds "
            "for the same steps (> 1: ours faster), bootstrap 95% interval"
        ),
        "block_seconds": args.block_seconds,
        "geometric_mean_ours_over_baseline": float(np.exp(np.mean(np.log(ratios)))),
        "load_average_before_after": [load_before, load_average()],
        "minutes": (time.time() - started) / 60,
        "rows": rows,
    }
    write_report(args.output, report)
    print(
        "| preset | batch | ours (img/s) | baseline (img/s) | ours / baseline [95%] "
        "| pair a | pair b |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        low, high = row["ours_over_baseline_95"]
        print(
            f"| {row['preset']} | {row['batch']} | {row['ours_a_images_per_second']:,.0f} | "
            f"{row['baseline_a_images_per_second']:,.0f} | "
            f"{row['ours_over_baseline']:.3f} [{low:.3f}, {high:.3f}] | "
            f"{row['ours_over_baseline_a']:.3f} | {row['ours_over_baseline_b']:.3f} |"
        )
    print(f"geometric mean ours / baseline: {report['geometric_mean_ours_over_baseline']:.3f}")


if __name__ == "__main__":
    main()
