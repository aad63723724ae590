"""Renderers of the quality files (quality.json, quality_tuning.json, dcgan_features.json) for
docs/results.md; the other files' are in results_tables.py, which registers these.

Standard library only (tests/test_results_doc.py runs make_results.py without TensorFlow).
"""

from results_tables_format import fmt, table


def run_epochs(config):
    """A quality run's epochs: StackGAN's as "Stage I + Stage II" (`epochs` is Stage II's)."""
    if "stage1_epochs" in config:
        return f"{config['stage1_epochs']} + {config['epochs']}"
    return config.get("epochs", "")


def cpu_label(machine):
    """A quality run's CPU as recorded by `bench_common.cpu_description` ("AMD EPYC 25/17
    AVX-512": name, family/model, AVX-512 or not), or "not recorded" for runs made before
    quality.py recorded it."""
    if not machine:
        return "not recorded"
    family_model = f"{machine.get('cpu_family')}/{machine.get('cpu_model')}"
    avx512 = "AVX-512" if machine.get("avx512") else "no AVX-512"
    return f"{machine.get('cpu')} {family_model} {avx512}"


def quality(data, results_dir):
    """benchmarks/quality.py's file: every preset's seeds and medians beside its targets."""
    rows = []
    for preset in sorted(data["presets"]):
        entry = data["presets"][preset]
        runs = entry["runs"]
        for seed in sorted(runs, key=int) + ["median"]:
            figures = entry["median"] if seed == "median" else runs[seed]["figures"]
            for section in sorted(figures):
                f = figures[section]
                accuracy = f.get("conditional_accuracy", f.get("domain_accuracy"))
                run = runs.get(seed, {})
                rows.append(
                    (
                        f"`{preset}`" + (f" {section.replace('_to_', '->')}" if section else ""),
                        seed if seed == "median" else f"seed {seed}",
                        run_epochs(run.get("config", {})),
                        run.get("train_seconds", ""),
                        cpu_label(run.get("machine")) if run else "",
                        len(run.get("evaluation_seeds", [0])) if run else "",
                        fmt(accuracy),
                        fmt(f.get("min_class_share")),
                        fmt(f.get("cycle_l1")),
                        f"**{fmt(f.get('fcd_ratio'))}**"
                        if seed == "median"
                        else fmt(f.get("fcd_ratio")),
                        fmt(f.get("memorisation_ratio")),
                    )
                )
    targets = "; ".join(
        f"`{preset}`: "
        + ", ".join(
            f"{c['figure']} {c['op']} {c['target']:g} "
            f"{'met' if c['met'] else '**missed**'}"
            + (f" ({c['section']})" if c["section"] else "")
            for c in data["presets"][preset]["checks"]
        )
        for preset in sorted(data["presets"])
    )
    header = [
        "preset",
        "run",
        "epochs",
        "train s",
        "CPU",
        "draws",
        "accuracy",
        "rarest class",
        "cycle L1",
        "FCD ratio",
        "memorisation ratio",
    ]
    return (
        f"{data.get('protocol', '')} Accuracy is the conditional accuracy (CGAN: the class asked "
        "for; StackGAN: the digit the caption names) or, for CycleGAN, the share classified as "
        "the target domain. Rarest class: share of samples predicted as the least common digit. "
        "FCD ratio = generated FCD / real FCD (1 = as close as real data). Memorisation ratio = "
        "mean distance of generated images to their nearest training image / that of the "
        "held-out baseline images, in the classifier's feature space (about 1 = no copying; "
        "0 = copies). Seconds are wall time on a shared 2-core machine (its load average is "
        "in the file), whose CPU the CPU column names (name, family/model): runs made before "
        "quality.py recorded it came from several machines. Draws: evaluations pooled into a "
        "run's figures (ratios of mean distances; runs made before pooling have one).\n\n"
        f"Targets (on the medians): {targets}.\n\n" + table(header, rows)
    )


def quality_tuning(data, results_dir):
    """The tuning runs behind the presets: one row per run and section."""
    rows = []
    for run in data["runs"]:
        settings = ", ".join(f"{k} {v}" for k, v in sorted(run["settings"].items()))
        for section, f in sorted(run["figures"].items()):
            accuracy = f.get("conditional_accuracy", f.get("domain_accuracy"))
            rows.append(
                (
                    f"`{run['run']}`" + (f" {section.replace('_to_', '->')}" if section else ""),
                    settings,
                    "old" if run["protocol"].startswith("train split; old") else "held-out",
                    run["train_seconds_on_a_loaded_machine"],
                    run.get("draws", 1),
                    fmt(accuracy),
                    fmt(f.get("cycle_l1")),
                    fmt(f["fcd_ratio"]),
                    fmt(f.get("memorisation_ratio")),
                )
            )
    header = [
        "run",
        "settings",
        "baseline",
        "train s",
        "draws",
        "accuracy",
        "cycle L1",
        "FCD ratio",
        "memorisation ratio",
    ]
    return data["what"] + "\n\n" + table(header, rows)


def dcgan_features(data, results_dir):
    sets = (
        ("raw_pixels", "raw pixels"),
        ("untrained_d", "untrained D"),
        ("trained_d", "trained D"),
    )
    results, run = data["results"], data["run"]

    def cell(record):
        seeds = record["per_seed"]
        spread = f" ({min(seeds):.4f} to {max(seeds):.4f})" if len(seeds) > 1 else ""
        return f"{record['mean']:.4f}{spread}"

    rows = [
        (
            f"{count} per class" if count != "all" else "all",
            *[cell(results[key][count]) for key, _ in sets],
        )
        for count in ("10", "50", "all")
    ]
    sizes = ", ".join(f"{label} {fmt(data['feature_sizes'][key])}" for key, label in sets)
    return (
        "Held-out accuracy of a logistic regression on standardised features of the digits "
        f"({fmt(data['split']['train'])} train, {fmt(data['split']['heldout'])} held out), fitted "
        "on that many labels per class: mean over the label draws of seeds "
        f"{fmt(data['seeds'])} (range; all labels is one fit). D features: every hidden conv "
        "layer of the discriminator "
        f"max-pooled to 4x4 (Radford et al. 2015, Section 5.1); sizes {sizes}. The DCGAN is "
        f"`{run['config']['preset']}`, {fmt(run['config']['epochs'])} epochs"
        + (f" ({fmt(run['train_seconds'])} s)" if "train_seconds" in run else "")
        + "; the untrained D has its shape and fresh weights.\n\n"
        + table(["labels", *[label for _, label in sets]], rows)
    )
