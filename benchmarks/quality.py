"""Quality of every CPU preset at three seeds, on data its generator never saw, against targets.

Trains each preset from scratch (`keras_gans.training.train` with the preset's values) at each
seed and evaluates it with `keras_gans.metrics.evaluate_run`: generated images against one
held-out set, the real baseline a second disjoint held-out set against the same one, and the
memorisation ratio (nearest-training-image distance of generated over held-out real images).
Each trained run is evaluated in `--draws` draws (5) with new noise and real subsets: one draw of
447 digits moves the CGAN's FCD ratio by about 0.11 (standard deviation over 10 draws of one
run), as much as the targets' margins; `pooled_figures` combines them.
StackGAN is scored at Stage II (Stage I trains first; its seconds count too).

Every seed's figures, their medians and the targets (a target holds when the median meets it)
are merged by preset and seed into `benchmarks/results/quality.json`; `make_results.py` turns
that into the README's table and docs/results.md.

    python benchmarks/quality.py                           # every preset, seeds 0, 1, 2
    python benchmarks/quality.py --presets=gan,dcgan --seeds=1
"""

import argparse
import contextlib
import dataclasses
import fcntl
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "quality.json")
PROTOCOL = (
    "Held-out protocol: the digits presets train on the 896-digit train split; generated images "
    "are compared with one held-out set, the real baseline is the second, disjoint held-out set "
    "against the same one, at the same n (textures: the two halves of each photo's held-out "
    "quarter). Each trained run is evaluated in 5 draws (new generator noise and real subsets); "
    "its ratios are ratios of the draws' mean distances, its other figures their means. Targets "
    "hold for the median over the seeds."
)
# The quality issue's targets: figure -> (">=" or "<=", value), checked in every section (both
# CycleGAN directions). `min_class_share`: every class predicted for at least 5% of samples.
TARGETS = {
    "cgan": {"conditional_accuracy": (">=", 0.97), "fcd_ratio": ("<=", 1.5)},
    "cgan_conv": {"conditional_accuracy": (">=", 0.97), "fcd_ratio": ("<=", 1.5)},
    "dcgan": {"fcd_ratio": ("<=", 2.0), "min_class_share": (">=", 0.05)},
    "gan": {"fcd_ratio": ("<=", 3.0), "min_class_share": (">=", 0.05)},
    "stackgan": {"conditional_accuracy": (">=", 0.95), "fcd_ratio": ("<=", 2.5)},
    "lapgan_digits": {"fcd_ratio": ("<=", 2.5)},
    "cyclegan": {
        "domain_accuracy": (">=", 0.95),
        "fcd_ratio": ("<=", 3.0),
        "cycle_l1": ("<=", 0.10),
    },
}
# Figures recorded per section besides the targets'.
FIGURES = (
    "fcd_ratio",
    "memorisation_ratio",
    "conditional_accuracy",
    "domain_accuracy",
    "min_class_share",
    "cycle_l1",
    "classifier_score",
)


def train_preset(preset, seed, runs_dir):
    """Trains `preset` at `seed` (StackGAN: both stages); returns `(run_dir, config, seconds)`."""
    from keras_gans.registry import spec_of_preset
    from keras_gans.training import TrainConfig, train

    model = spec_of_preset(preset).name
    output_dir = os.path.join(runs_dir, f"{preset}_seed{seed}")
    shutil.rmtree(output_dir, ignore_errors=True)  # a fresh run: train() resumes from one
    common = dict(preset=preset, model=model, seed=seed, export=False, evaluate=False, verbose=0)
    start = time.perf_counter()
    if model == "stackgan":
        stage1 = os.path.join(output_dir, "stage1")
        stage1_epochs = train(TrainConfig(stage=1, output_dir=stage1, **common)).config.epochs
        result = train(
            TrainConfig(
                stage=2,
                stage1_model=os.path.join(stage1, "model.keras"),
                output_dir=os.path.join(output_dir, "stage2"),
                **common,
            )
        )
    else:
        result = train(TrainConfig(output_dir=output_dir, **common))
    seconds = time.perf_counter() - start
    config = {k: v for k, v in dataclasses.asdict(result.config).items() if v is not None}
    if model == "stackgan":
        config["stage1_epochs"] = stage1_epochs  # `epochs` is Stage II's
    return result.output_dir, config, round(seconds, 1)


def section_figures(evaluation):
    """`{section: {figure: value}}`: "" for one section, else one per direction."""
    from keras_gans.metrics.compare import sections

    out = {}
    for title, part in sections(evaluation):
        figures = {}
        for name in FIGURES:
            for source in (part, part["generated"]):
                if name in source:
                    figures[name] = source[name]
                    break
        out[title] = figures
    return out


def evaluation_seeds(seed, draws):
    """The evaluation seeds of training seed `seed`'s `draws` draws: `seed` itself first (the one
    draw this script made before it pooled), then `seed + 1000 * j`."""
    return [seed + 1000 * j for j in range(draws)]


def pooled_figures(evaluations):
    """One run's figures over several evaluation draws: `{section: {figure: value}}`.

    The draws differ in the generator's noise and in the real subsets drawn (the textures'
    crops). A ratio is the ratio of the mean distances (less biased than a mean of ratios when
    the baseline's distance is small and noisy, as for the gravel); every other figure is the
    mean over the draws. One draw gives `section_figures` of that evaluation.
    """
    from keras_gans.metrics.compare import sections

    per_draw = [section_figures(evaluation) for evaluation in evaluations]
    pooled = {}
    for title in per_draw[0]:
        figures = {
            name: statistics.fmean(draw[title][name] for draw in per_draw)
            for name in per_draw[0][title]
        }
        parts = [dict(sections(evaluation))[title] for evaluation in evaluations]
        for ratio, distance in (
            ("fcd_ratio", "frechet_classifier_distance"),
            ("memorisation_ratio", "training_nn_distance"),
        ):
            if ratio in figures:
                generated = statistics.fmean(part["generated"][distance] for part in parts)
                baseline = statistics.fmean(part["real_baseline"][distance] for part in parts)
                figures[ratio] = generated / max(baseline, 1e-12)
        pooled[title] = figures
    return pooled


def summarise(preset, runs):
    """Medians of every figure over `runs` (by seed), and whether each target holds for it."""
    sections = sorted({s for run in runs.values() for s in run["figures"]})
    median, checks = {}, []
    for section in sections:
        names = sorted({n for run in runs.values() for n in run["figures"].get(section, {})})
        median[section] = {
            name: statistics.median(
                run["figures"][section][name]
                for run in runs.values()
                if name in run["figures"].get(section, {})
            )
            for name in names
        }
        for name, (op, target) in TARGETS.get(preset, {}).items():
            value = median[section].get(name)
            met = value is not None and (value >= target if op == ">=" else value <= target)
            checks.append(
                {
                    "section": section,
                    "figure": name,
                    "op": op,
                    "target": target,
                    "median": value,
                    "met": met,
                }
            )
    return {"median": median, "checks": checks, "met": all(c["met"] for c in checks)}


@contextlib.contextmanager
def locked(path):
    """Holds an exclusive lock beside `path`: runs of this script at other seeds merge safely."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lock = os.path.join(tempfile.gettempdir(), os.path.basename(path) + ".lock")
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def merge(path, preset, seed, record):
    """Merges one run into the JSON at `path` and refreshes the preset's summary, atomically."""
    from keras_gans import run_files

    with locked(path):
        payload = run_files.read_json(path) if os.path.isfile(path) else {}
        if "presets" not in payload:  # a file of the single-seed layout: replaced
            payload = {"presets": {}}
        entry = payload["presets"].setdefault(preset, {"runs": {}})
        entry["model"] = record["config"]["model"]
        entry["targets"] = {k: list(v) for k, v in TARGETS.get(preset, {}).items()}
        entry["runs"][str(seed)] = record
        entry.update(summarise(preset, entry["runs"]))
        payload["protocol"] = PROTOCOL
        payload["machine"] = {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
        }
        run_files.write_json(path, payload)
    return payload


def _compiles_with_xla(preset):
    from keras_gans.registry import spec_of_preset
    from keras_gans.training import TrainConfig

    model = spec_of_preset(preset).name
    return bool(TrainConfig(model=model, preset=preset).resolved().jit_compile)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default=",".join(TARGETS), help="Comma-separated presets.")
    parser.add_argument("--seeds", default="0,1,2", help="Comma-separated seeds.")
    parser.add_argument(
        "--num_samples", type=int, default=None, help="Images per set (default: the evaluator's)."
    )
    parser.add_argument(
        "--runs_dir", default="/tmp/keras_gans_quality", help="Where the runs are written."
    )
    parser.add_argument(
        "--draws",
        type=int,
        default=5,
        help="Evaluation draws per trained run (new noise and real subsets each); figures pool "
        "them (see pooled_figures).",
    )
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args(argv)
    from bench_common import cpu_description

    from keras_gans.flags.common import set_inter_op_threads
    from keras_gans.metrics.evaluate import evaluate_run

    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    # The threads `keras-gans-train` runs with, so that the seconds are a user's (one setting per
    # process: one thread only when every preset asked for compiles with XLA).
    set_inter_op_threads(None, "default", all(_compiles_with_xla(p) for p in presets))

    for preset in presets:
        for seed in [int(s) for s in args.seeds.split(",")]:
            print(f"{preset}, seed {seed} ...", file=sys.stderr, flush=True)
            run_dir, config, seconds = train_preset(preset, seed, args.runs_dir)
            load_average = list(os.getloadavg())
            draw_seeds = evaluation_seeds(seed, args.draws)
            evaluations = [
                evaluate_run(run_dir, num_samples=args.num_samples, seed=s, write=False)
                for s in draw_seeds
            ]
            record = {
                "config": config,
                "train_seconds": seconds,
                "load_average": load_average,
                "machine": cpu_description(),
                "figures": pooled_figures(evaluations),
                "evaluation_seeds": draw_seeds,
                "draws": [section_figures(evaluation) for evaluation in evaluations],
                "evaluation": evaluations[0],
            }
            payload = merge(args.output, preset, seed, record)
            entry = payload["presets"][preset]
            print(
                f"{preset} seed {seed}: {seconds:.0f} s, {record['figures']}; "
                f"median meets targets: {entry['met']}",
                flush=True,
            )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
