"""Tables of the small-data results for docs/results.md and the README: DiffAugment on a tenth of
the digits (small_data.json) and a folder of real photos end to end (own_images.json).

Standard library only.
"""

import statistics

from results_tables_format import fmt, table

AUGMENT_NAMES = {"none": "off", "augment": "preset", "all": "all three"}


def _small_data_rows(data):
    by_variant = {}
    for run in data["runs"]:
        by_variant.setdefault(run["variant"], []).append(run)
    seeds = sorted({run["seed"] for run in data["runs"]})
    rows = []
    for variant in sorted(by_variant, key=lambda v: list(AUGMENT_NAMES).index(v)):
        runs = {run["seed"]: run for run in by_variant[variant]}
        policy = runs[min(runs)]["augment"] or "-"
        ratios = [runs[s]["fcd_ratio"] if s in runs else None for s in seeds]
        memorisation = statistics.median(run["memorisation_ratio"] for run in runs.values())
        rows.append(
            [
                f"{AUGMENT_NAMES.get(variant, variant)} (`{policy}`)",
                *ratios,
                statistics.median(r for r in ratios if r is not None),
                memorisation,
            ]
        )
    header = ["DiffAugment", *[f"FCD ratio, seed {s}" for s in seeds], "median", "memorisation"]
    return header, rows


def small_data(data, results_dir):
    """docs/results.md: each variant's FCD ratio per seed, the median, seconds and load."""
    header, rows = _small_data_rows(data)
    runs = table(
        ["variant", "seed", "FCD ratio", "memorisation", "rarest class", "train s", "load"],
        [
            [
                run["variant"],
                run["seed"],
                run["fcd_ratio"],
                run["memorisation_ratio"],
                run["min_class_share"],
                run["train_seconds"],
                fmt(run["load_average"][0]),
            ]
            for run in data["runs"]
        ],
    )
    return "\n\n".join([data["protocol"], table(header, rows), runs])


def readme_small_data(data):
    """The README's small-data table, with its protocol as the caption."""
    header, rows = _small_data_rows(data)
    return table(header, rows) + "\n\n" + data["protocol"]


def _own_images_rows(data):
    evaluation = data["evaluation"]
    generated, real = evaluation["generated"], evaluation["real_baseline"]
    features = evaluation["features"]
    return [
        [f"FD on `{features}`", generated["frechet_distance"], real["frechet_distance"]],
        ["FD ratio (1 = as close as real)", evaluation["fd_ratio"], 1.0],
        ["KID", generated["kernel_distance"], real["kernel_distance"]],
        ["precision (k = 3)", generated["precision"], real["precision"]],
        ["recall (k = 3)", generated["recall"], real["recall"]],
        ["memorisation ratio (1 = unseen)", evaluation["memorisation_ratio"], 1.0],
    ]


def _own_images_caption(data):
    evaluation = data["evaluation"]
    sizes = evaluation["folder_sizes"]
    seconds = ", ".join(f"{step['name']} {step['seconds']:.0f} s" for step in data["steps"])
    return (
        f"{data['protocol']} Held out: {sizes['heldout_a']} + {sizes['heldout_b']} images, "
        f"{sizes['train']} trained on; n = {evaluation['num_samples']}, so the figures are "
        f"noisy. Wall time on 2 shared cores (load {fmt(data['load_average'][0])}): {seconds}. "
        f"Exported: {', '.join(data['export'])}."
    )


def own_images(data, results_dir):
    """docs/results.md: the commands, their times and the evaluation."""
    commands = table(
        ["step", "command", "seconds"],
        [[s["name"], f"`{s['command']}`", s["seconds"]] for s in data["steps"]],
    )
    figures = table(["figure", "generated", "real baseline"], _own_images_rows(data))
    return "\n\n".join([_own_images_caption(data), commands, figures])


def readme_own_images(data):
    """The README's own-images figures, with the run's conditions as the caption."""
    figures = table(["figure", "generated", "real baseline"], _own_images_rows(data))
    return figures + "\n\n" + _own_images_caption(data)
