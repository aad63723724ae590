"""Markdown tables of the results files, one renderer per kind of file, for make_results.py.

Each renderer takes a results file's parsed JSON and the results folder, and returns Markdown; it
may raise KeyError, TypeError, IndexError, AttributeError or ValueError on a layout it does not
know, and make_results.py then falls back to `generic`. Standard library only.
"""

from quality_tables import dcgan_features, quality, quality_tuning  # noqa: E402
from results_tables_format import (  # noqa: F401 - make_results imports some from here
    RESULTS_LINK,
    conditions,
    fmt,
    generic,
    image,
    pair,
    table,
)


def cgan_curves(data, results_dir):
    losses = data.get("losses", {})
    rows = []
    for ev in data["evaluations"]:
        epoch = ev["epoch"]
        loss = [
            losses[k][epoch - 1] if epoch > 0 and len(losses.get(k, [])) >= epoch else None
            for k in ("d_loss", "g_loss")
        ]
        rows.append(
            (
                epoch,
                *loss,
                pair(ev["conditional_accuracy"], ev["real_conditional_accuracy"]),
                pair(ev["classifier_score"], ev["real_classifier_score"]),
                ev["kernel_distance"],
                f"**{fmt(ev['fcd_ratio'])}**",
            )
        )
    final = data.get("final_evaluation")
    text = (
        "The CGAN preset trained as `keras-gans-train` does, "
        f"scored every {fmt(data['eval_every'])} epochs on n = {fmt(data['eval_samples'])} "
        f"(seed {fmt(data['eval_seed'])}); losses are the epoch's means. "
        f"Training {fmt(data['train_seconds'])} s, evaluation {fmt(data['eval_seconds'])} s.\n\n"
        + table(
            [
                "epoch",
                "d_loss",
                "g_loss",
                "conditional accuracy, gen / real",
                "classifier score, gen / real",
                "KID",
                "FCD ratio",
            ],
            rows,
        )
    )
    if final:
        gen, real = final["generated"], final["real_baseline"]
        text += (
            f"\n\nFull evaluation after the last epoch (n = {fmt(final['num_samples'])}): "
            "conditional accuracy "
            f"{pair(gen['conditional_accuracy'], real['conditional_accuracy'])}, "
            f"FCD ratio **{fmt(final['fcd_ratio'])}**."
        )
    plot = image("cgan_curves.png", "CGAN losses and metrics over training", results_dir)
    return text + ("\n\n" + plot if plot else "")


def cyclegan_textures(data, results_dir):
    rows = [
        (label, data[key]["a"], data[key]["b"])
        for label, key in (
            ("cycle L1, trained", "cycle_l1"),
            ("cycle L1, same networks untrained", "untrained_cycle_l1"),
            ("translation L1, \\|G(x) - x\\|", "translation_l1"),
        )
        if key in data
    ]
    stats = data["texture_statistics"]
    stat_rows = [
        (f"`{name}`", s["pixel_std"], s["gradient_x"], s["gradient_y"])
        for name, s in sorted(stats.items())
    ]
    text = (
        f"A CycleGAN trained on the textures ({fmt(data['epochs'])} epochs, "
        f"{fmt(data['image_size'])} px, {fmt(data.get('train_seconds'))} s), "
        f"scored on {fmt(data['held_out_crops_per_domain'])} held-out crops per domain, "
        "in [-1, 1] units (A = grass, B = gravel).\n\n"
        + table(["figure", "A", "B"], rows)
        + "\n\n"
        + table(
            ["texture statistics", "pixel std", "mean \\|gradient x\\|", "mean \\|gradient y\\|"],
            stat_rows,
        )
    )
    grid = image("cyclegan_textures_grid.png", "CycleGAN textures", results_dir)
    return text + ("\n\n" + grid if grid else "")


def stackgan_digits(data, results_dir):
    captions = data["captions"]
    stages = sorted(data["runs"])
    header = ["caption"] + [
        f"{s} ({'x'.join(str(d) for d in data['runs'][s]['image_shape'][:2])})" for s in stages
    ]
    rows = [
        (f'"{c}"', *[data["runs"][s]["agreement_per_caption"].get(c) for s in stages])
        for c in captions
    ]
    rows.append(("**all**", *[f"**{fmt(data['runs'][s]['agreement'])}**" for s in stages]))
    text = (
        f"Share of {fmt(data['images_per_caption'])} images per typed caption "
        f"that a {data['classifier']} "
        f"(held-out accuracy {fmt(data['classifier_held_out_accuracy'])}) "
        "reads as the digit the caption names.\n\n" + table(header, rows)
    )
    grids = [image(f"stackgan_digits_{s}.png", f"StackGAN {s}", results_dir) for s in stages]
    return text + "".join("\n\n" + g for g in grids if g)


def train_throughput(data, results_dir):
    rows = [
        (
            f"`{r['preset']}`",
            r["batch"],
            r["ours"],
            r["plain"],
            r["ours_over_plain"],
            r["xla_over_ours"],
            r["bf16_over_ours"],
            r["step_gflop_per_image"],
            f"{r['share_of_f32_matmul_peak']:.0%}",
        )
        for r in data["rows"]
    ]
    return (
        "Images per second of `fit` steps on synthetic batches, "
        f"median of {fmt(data['rounds'])} rotating blocks of {fmt(data['block_seconds'])} s "
        "per variant. Baseline: a keras.io-style `train_step` on separately built networks of the "
        "same architecture (read `train_step_ab` for the paired comparison). "
        f"Measured float32 matmul rate {fmt(data['f32_matmul_gflops'])} GFLOP/s, "
        f"bfloat16 {fmt(data['bf16_matmul_gflops'])} GFLOP/s.\n\n"
        + table(
            [
                "preset",
                "batch",
                "ours (img/s)",
                "baseline (img/s)",
                "ours / baseline",
                "XLA / ours",
                "bf16 / ours",
                "GFLOP per image",
                "share of f32 matmul rate",
            ],
            rows,
        )
    )


def train_step_ab(data, results_dir):
    rows = []
    for r in data["rows"]:
        interval = r.get("ours_over_baseline_95") or [None, None]
        rows.append(
            (
                f"`{r['preset']}`",
                r["batch"],
                r["ours_a_images_per_second"],
                r["baseline_a_images_per_second"],
                f"**{fmt(r['ours_over_baseline'])}** [{fmt(interval[0])}, {fmt(interval[-1])}]",
                r.get("ours_a_over_control"),
                r.get("groups"),
            )
        )
    return (
        "Our `train_step` against a keras.io-style baseline training the very same networks, "
        "ratios above 1 meaning ours is faster; the control is a second instance of our class "
        f"(an A/A pair, the method's resolution). {data['statistic']}. "
        f"Blocks of {fmt(data['block_seconds'])} s; "
        f"geometric mean **{fmt(data['geometric_mean_ours_over_baseline'])}**; "
        f"{fmt(data['minutes'])} minutes.\n\n"
        + table(
            [
                "preset",
                "batch",
                "ours (img/s)",
                "baseline (img/s)",
                "ours / baseline [95%]",
                "ours / control",
                "groups",
            ],
            rows,
        )
    )


def peer_race(data, results_dir):
    rows = []
    for c in data["cells"]:
        low, high = c["ours_over_theirs_95"]
        rounds = ", ".join(fmt(r["ours_over_theirs"]) for r in c["rounds"])
        load = [v for r in c["rounds"] for k, v in r.items() if k.endswith("load_before_after")]
        rows.append(
            (
                c["precision"],
                c["batch"],
                c["ours_images_per_second"],
                c["theirs_images_per_second"],
                f"**{fmt(c['ours_over_theirs'])}** [{fmt(low)}, {fmt(high)}]",
                rounds,
                f"{fmt(min(min(pair) for pair in load))}-{fmt(max(max(pair) for pair in load))}",
            )
        )
    if data.get("theirs") == "keras_batch_norm":
        other, against = (
            "Keras BN",
            (
                "the same model built with Keras's `BatchNormalization` instead of "
                "`FusedBatchNormalization` (in float32 both run Keras's code: an A/A control), "
                "paired rounds run alternately; bfloat16 is the `mixed_bfloat16` policy on both. "
            ),
        )
    else:
        other, against = (
            "PyTorch",
            (
                "pytorch/examples' DCGAN (its networks and loop), paired rounds run alternately; "
                "bfloat16 is our `mixed_bfloat16` policy and `torch.autocast` on theirs. "
            ),
        )
    return (
        "Our DCGAN at 64x64x3 (ngf = ndf = 64, `fit` on an in-memory batch) against "
        + against
        + f"{data['statistic']}. {fmt(data['rounds'])} rounds of {fmt(data['timed_steps'])} timed "
        f"steps after {fmt(data['warmup_steps'])} untimed, {fmt(data['cpu_count'])} CPUs, "
        f"{fmt(data['minutes'])} minutes.\n\n"
        + table(
            [
                "precision",
                "batch",
                "ours (img/s)",
                f"{other} (img/s)",
                f"ours / {other} [95%]",
                "rounds",
                "load during blocks",
            ],
            rows,
        )
    )


def default_run(data, results_dir):
    rows = [
        (
            r["variant"],
            " ".join(r["flags"]) or "(none)",
            r["round"],
            r["wall_seconds"],
            r["cpu_percent"],
            "-".join(fmt(v) for v in r["load_average_before_after"]),
            r["fcd_ratio"],
        )
        for r in data["runs"]
    ]
    return (
        "The README's first command (`keras-gans-train`: training, export, held-out evaluation) "
        "as a user runs it, each variant in a fresh process and run folder; CPU % is the child's "
        "CPU seconds over its wall seconds; FCD ratio from its evaluation line (one draw). "
        f"Machine: {data['machine'].get('cpu') or 'CPU model not recorded'}, "
        f"{fmt(data['machine']['cpus'])} CPUs.\n\n"
        + table(
            ["variant", "flags", "round", "wall s", "CPU %", "load before-after", "FCD ratio"],
            rows,
        )
    )


def inference_latency(data, results_dir):
    rows = [
        (
            f"`{r['graph']}`",
            r["batch_size"],
            r["keras_predict_ms"],
            r["saved_model_ms"],
            r["onnx_runtime_ms"],
            f"**{fmt(r['onnx_vs_saved_model'])}**",
            r["onnx_provider"],
        )
        for r in data["results"]
    ]
    return (
        f"{data['model']}: {data['statistic']}; "
        f"{fmt(data['rounds'])} rounds of {fmt(data['repeats'])} calls per cell.\n\n"
        + table(
            [
                "graph",
                "batch",
                "Keras predict (ms)",
                "SavedModel (ms)",
                "ONNX Runtime (ms)",
                "ONNX / SavedModel",
                "provider",
            ],
            rows,
        )
    )


def gpu_check(data, results_dir):
    models = data.get("models", {})
    rows = []
    for r in data["results"]:
        graph = r["model"].split("/")[-3] if r["model"].count("/") >= 3 else r["model"]
        rows.append(
            (
                models.get(graph, f"`{graph}`"),
                r["batch_size"],
                r["cuda_ms"],
                r["cuda_io_binding_ms"],
                r["cuda_io_binding_no_tf32_ms"],
                r["cpu_ms"],
                f"{fmt(r['max_abs_diff_cuda_vs_cpu'])} / {fmt(r['max_abs_diff_no_tf32'])}",
            )
        )
    return (
        "ONNX Runtime's CUDA provider on exported generators, median ms per call, numpy in and "
        "out; CPU column: the same machine's CPU provider.\n\n"
        + table(
            [
                "graph",
                "batch",
                "CUDA (ms)",
                "CUDA + I/O binding (ms)",
                "same, TF32 off (ms)",
                "CPU (ms)",
                "max abs diff vs CPU: TF32 / TF32 off",
            ],
            rows,
        )
    )


RENDERERS = {
    "quality_tuning": quality_tuning,
    "cgan_curves": cgan_curves,
    "dcgan_features": dcgan_features,
    "default_run": default_run,
    "cyclegan_textures": cyclegan_textures,
    "gpu_check": gpu_check,
    "inference_latency": inference_latency,
    "peer_race": peer_race,
    "batch_norm_ab": peer_race,
    "quality": quality,
    "stackgan_digits": stackgan_digits,
    "train_step_ab": train_step_ab,
    "train_throughput": train_throughput,
}
