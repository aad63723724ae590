"""DiffAugment on small data: the DCGAN preset trained on 10% of the digits' train split, with and
without its augmentation, at several seeds, evaluated on the usual held-out protocol.

Zhao et al. 2020 (https://arxiv.org/abs/2006.10738) show DiffAugment's gain grows as the data
shrinks. Here the preset trains on a stratified, seeded share of the 896-digit `train` part (90
digits at 10%), for the preset's number of steps (an epoch keeps the full split's 14 steps, so
the discriminator sees each image about ten times as often). Generated images are compared with
`heldout_a`; the baseline is `heldout_b`, as in benchmarks/quality.py. The memorisation ratio is
measured against the small training subset itself.

    python benchmarks/small_data.py                   # 3 seeds x {none, augment, all}
    python benchmarks/small_data.py --seeds=0 --variants=none

Results merge into benchmarks/results/small_data.json by (variant, seed).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

RESULTS = os.path.join(os.path.dirname(__file__), "results", "small_data.json")
PRESET = "dcgan"
# DiffAugment off ("" overrides the preset; None would take it), the preset's own policy, and the
# paper's full policy.
VARIANTS = {"none": "", "augment": "translation,cutout", "all": "color,translation,cutout"}


def subset_indices(labels, fraction, seed=0):
    """A stratified share of `labels`' indices: `round(fraction * count)` (at least 1) per class,
    drawn with `seed`; sorted."""
    import numpy as np

    rng = np.random.default_rng(seed)
    picks = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        count = max(1, int(round(fraction * len(members))))
        picks.append(rng.choice(members, count, replace=False))
    return np.sort(np.concatenate(picks))


def patch_train_part(fraction):
    """Makes `digits_parts` return only a share of `train` to the pipeline and the evaluators
    (the held-out parts are unchanged). Returns the subset's size."""
    from keras_gans.data import digits, pipeline
    from keras_gans.metrics import classifiers

    full = digits.digits_parts

    def small_parts(image_size=16, seed=0):
        parts = dict(full(image_size, seed))
        images, labels = parts["train"]
        index = subset_indices(labels, fraction)
        parts["train"] = (images[index], labels[index])
        return parts

    pipeline.digits_parts = small_parts
    classifiers.digits_parts = small_parts
    return len(small_parts()["train"][0])


def run_one(variant, seed, epochs, steps_per_epoch):
    from keras_gans.metrics.evaluate import evaluate_run
    from keras_gans.training import TrainConfig, train

    output_dir = tempfile.mkdtemp(prefix=f"small_{variant}_{seed}_")
    try:
        config = TrainConfig(
            model="dcgan",
            preset=PRESET,
            seed=seed,
            augment=VARIANTS[variant],
            epochs=epochs,
            steps_per_epoch=steps_per_epoch,
            sample_every=10**6,
            output_dir=output_dir,
            export=False,
            evaluate=False,
            verbose=0,
        )
        load_before = os.getloadavg()
        start = time.time()
        train(config)
        seconds = time.time() - start
        evaluation = evaluate_run(output_dir)
    finally:
        shutil.rmtree(output_dir, ignore_errors=True)
    generated = evaluation["generated"]
    return {
        "variant": variant,
        "augment": VARIANTS[variant],
        "seed": seed,
        "fcd_ratio": evaluation["fcd_ratio"],
        "memorisation_ratio": evaluation["memorisation_ratio"],
        "min_class_share": generated["min_class_share"],
        "num_samples": evaluation["num_samples"],
        "train_seconds": round(seconds, 1),
        "load_average": [load_before[0], os.getloadavg()[0]],
    }


def summarise(runs):
    medians = {}
    for variant in VARIANTS:
        ratios = [run["fcd_ratio"] for run in runs if run["variant"] == variant]
        if ratios:
            medians[variant] = {"fcd_ratio": statistics.median(ratios), "seeds": len(ratios)}
    return medians


def merge(new_runs, meta):
    results = {"runs": []}
    if os.path.exists(RESULTS):
        with open(RESULTS, encoding="utf-8") as handle:
            results = json.load(handle)
    keep = {(run["variant"], run["seed"]) for run in new_runs}
    runs = [run for run in results["runs"] if (run["variant"], run["seed"]) not in keep]
    runs = sorted(runs + new_runs, key=lambda run: (run["variant"], run["seed"]))
    results.update(meta, runs=runs, median=summarise(runs))
    with open(RESULTS + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    os.replace(RESULTS + ".tmp", RESULTS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--variants", default=",".join(VARIANTS))  # see VARIANTS
    parser.add_argument("--epochs", type=int, default=None, help="Default: the preset's.")
    parser.add_argument("--steps_per_epoch", type=int, default=14, help="The full split's.")
    args = parser.parse_args()
    variants = args.variants.split(",")
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {sorted(VARIANTS)}")

    from keras_gans import registry

    epochs = args.epochs or registry.spec_of_preset(PRESET).preset(PRESET)["epochs"]
    size = patch_train_part(args.fraction)
    meta = {
        "protocol": (
            f"The {PRESET} preset on a stratified {args.fraction:.0%} of the digits' train split "
            f"({size} images), {epochs} epochs of {args.steps_per_epoch} steps; FCD ratio against "
            "the held-out baseline (heldout_b vs heldout_a); memorisation against the subset."
        ),
        "command": "python benchmarks/small_data.py",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }
    for seed in [int(seed) for seed in args.seeds.split(",")]:
        for variant in variants:
            run = run_one(variant, seed, epochs, args.steps_per_epoch)
            print(json.dumps(run), flush=True)
            merge([run], meta)


if __name__ == "__main__":
    main()
