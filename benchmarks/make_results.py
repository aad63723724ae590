"""Writes docs/results.md and the README's model table from benchmarks/results/*.json.

Every measured figure in the docs lives in a results file that a benchmark wrote; this script turns
them into tables, so no figure in docs/results.md is typed by hand. One section per file, in file
name order; a file without a renderer of its own (or whose layout a renderer does not expect) gets
a generic key / value table. The output depends on the files only: sorted keys, fixed number
formatting, no clock.

    python benchmarks/make_results.py          # rewrites docs/results.md and README's model table
    python benchmarks/make_results.py --check  # exit 1 when either is stale

Imports only the standard library (tests/test_results_doc.py runs it without TensorFlow).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from own_data_tables import own_images, readme_own_images, readme_small_data, small_data  # noqa: E402
from quality_tables import run_epochs  # noqa: E402
from results_tables import RENDERERS, RESULTS_LINK, conditions, generic  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS_DIR = os.path.join(ROOT, "benchmarks", "results")
OUTPUT = os.path.join(ROOT, "docs", "results.md")
README = os.path.join(ROOT, "README.md")
# Each generated README block sits between these lines (NAME: a key of `readme_blocks`);
# main() rewrites what lies between them.
BEGIN = "<!-- begin generated: {} (benchmarks/make_results.py) -->"
END = "<!-- end generated: {} -->"
RENDERERS = {**RENDERERS, "small_data": small_data, "own_images": own_images}
# The README's model table: quality.json key, name, paper, link, what the CPU preset trains.
MODELS = (
    ("gan", "GAN", "Goodfellow et al. 2014", "https://arxiv.org/abs/1406.2661", "MLP, digits"),
    (
        "cgan",
        "CGAN",
        "Mirza & Osindero 2014",
        "https://arxiv.org/abs/1411.1784",
        "MLP, digits by class",
    ),
    (
        "cgan_conv",
        "CGAN (conv)",
        "Mirza & Osindero 2014",
        "https://arxiv.org/abs/1411.1784",
        "convolutional, digits by class",
    ),
    (
        "dcgan",
        "DCGAN",
        "Radford et al. 2015",
        "https://arxiv.org/abs/1511.06434",
        "convolutional, digits",
    ),
    (
        "lapgan_digits",
        "LAPGAN",
        "Denton et al. 2015",
        "https://arxiv.org/abs/1506.05751",
        "Laplacian pyramid 8-16 px, digits",
    ),
    (
        "lapgan",
        "LAPGAN",
        "Denton et al. 2015",
        "https://arxiv.org/abs/1506.05751",
        "Laplacian pyramid 8-16-32 px, 200 faces",
    ),
    (
        "cyclegan",
        "CycleGAN",
        "Zhu et al. 2017",
        "https://arxiv.org/abs/1703.10593",
        "textures, grass (A) <-> gravel (B)",
    ),
    (
        "stackgan",
        "StackGAN",
        "Zhang et al. 2017",
        "https://arxiv.org/abs/1612.03242",
        "Stage I + II, digits from captions",
    ),
)

# Why a preset of the table has no figures.
UNSCORED = {"lapgan": "not scored: no reference classifier for faces"}

# How to regenerate each file, by file name prefix (the longest matching prefix wins): commands
# run in turn from the repository root.
COMMANDS = {
    "cgan_curves": ["python benchmarks/cgan_curves.py"],
    "cyclegan_textures": [
        "keras-gans-train --preset=cyclegan --output_dir=/tmp/cyclegan_run",
        "python benchmarks/cyclegan_textures.py --run_dir=/tmp/cyclegan_run",
    ],
    "default_run": ["python benchmarks/default_run.py"],
    "default_run_epyc_avx512": [
        "python benchmarks/default_run.py --variant=tf_threads:--inter_op_threads=0 "
        "--variant='before:--nojit_compile --steps_per_execution=1 --inter_op_threads=0' "
        "--rounds=2 --output=benchmarks/results/default_run_epyc_avx512.json",
    ],
    "default_run_epyc_avx2": [
        "python benchmarks/default_run.py --rounds=2 "
        "--output=benchmarks/results/default_run_epyc_avx2.json",
    ],
    "gpu_check": ["benchmarks/gpu_check.sh"],
    "gpu_check_sub_pixel": [
        "GPU_CHECK_JSON=benchmarks/results/gpu_check_sub_pixel.json benchmarks/gpu_check.sh",
    ],
    "inference_latency": ["python benchmarks/inference_latency.py --rounds=10 --repeats=100"],
    "peer_race": ["python benchmarks/peer_race.py --rounds=3 --steps=2 --warmup=1"],
    "peer_race_epyc_avx512": [
        "python benchmarks/peer_race.py --inter_op_threads=1 "
        "--output=benchmarks/results/peer_race_epyc_avx512.json"
    ],
    "peer_race_epyc_avx512_tf_threads": [
        "python benchmarks/peer_race.py --inter_op_threads=0 "
        "--output=benchmarks/results/peer_race_epyc_avx512_tf_threads.json"
    ],
    "peer_race_epyc_avx512_fused_bn": [
        "python benchmarks/peer_race.py --inter_op_threads=0 "
        "--output=benchmarks/results/peer_race_epyc_avx512_fused_bn.json"
    ],
    "peer_race_epyc_avx512_zen4": [
        "python benchmarks/peer_race.py --rounds=5 "
        "--output=benchmarks/results/peer_race_epyc_avx512_zen4.json"
    ],
    "peer_race_epyc_avx2": [
        "python benchmarks/peer_race.py --precisions=float32 "
        "--output=benchmarks/results/peer_race_epyc_avx2.json"
    ],
    "peer_race_epyc_avx2_onednn_off": [
        "TF_ENABLE_ONEDNN_OPTS=0 python benchmarks/peer_race.py --precisions=float32 "
        "--output=benchmarks/results/peer_race_epyc_avx2_onednn_off.json"
    ],
    "peer_race_epyc_avx2_bf16": [
        "python benchmarks/peer_race.py --precisions=bfloat16 --steps=1 --warmup=1 "
        "--output=benchmarks/results/peer_race_epyc_avx2_bf16.json"
    ],
    "batch_norm_ab_epyc_avx512": [
        "python benchmarks/peer_race.py --theirs=keras_batch_norm --inter_op_threads=0 --rounds=5 "
        "--output=benchmarks/results/batch_norm_ab_epyc_avx512.json"
    ],
    "quality": ["python benchmarks/quality.py"],
    "quality_lapgan_epyc_avx512": [
        "python benchmarks/quality.py --presets=lapgan_digits --seeds=0 "
        "--output=benchmarks/results/quality_lapgan_epyc_avx512.json",
    ],
    "quality_tuning": ["python benchmarks/quality_tuning.py SPEC"],
    "stackgan_digits": [
        "keras-gans-train --preset=stackgan",
        "keras-gans-train --preset=stackgan --stage=2",
        "python benchmarks/stackgan_digits.py --run=runs/stackgan --run=runs/stackgan_stage2",
    ],
    "train_step_ab": ["python benchmarks/train_step_ab.py --control"],
    "train_throughput": ["python benchmarks/train_throughput.py"],
    "train_throughput_small_presets_9_rounds": [
        "python benchmarks/train_throughput.py --presets=cgan_16,dcgan_32 --rounds=9 "
        "--block_seconds=2 "
        "--output=benchmarks/results/train_throughput_small_presets_9_rounds.json",
    ],
}

# What a file measures where its renderer's text does not say it, by exact file name stem.
NOTES = {
    "cgan_curves": "Recorded with an earlier `cgan` preset (the file holds its config: all 1,797 "
    "digits, 28 steps per epoch, no EMA, Adam 2e-4, no XLA), before the held-out split.",
    "gpu_check": 'Graphs exported with their transposed convolutions kept, as `onnx_target="cuda"` '
    "writes them; needs an NVIDIA GPU.",
    "gpu_check_sub_pixel": 'The DCGAN generator in the CPU form (`onnx_target="cpu"`, the default: '
    "transposed convolutions as phase convolutions), on the same GPU.",
    "default_run": "A 2-core Intel Xeon with AVX-512, before the `cgan` preset turned on XLA "
    "and one call per epoch: `default` here is the preset without them.",
    "default_run_avx2": "Before the `cgan` preset turned on XLA and one call per epoch: `default` "
    "here is the preset without them.",
    "default_run_epyc_avx512": "An idle 2-core AMD EPYC with AVX-512. `default`: the `cgan` "
    "preset with XLA, one call per epoch and one inter-op thread; `tf_threads`: the same with "
    "TensorFlow's threads; `before`: the preset's earlier speed settings (no XLA, one step per "
    "call, TensorFlow's threads) with its new learning rate and the faster export of the same "
    "commit (the earlier export took 4 s more).",
    "default_run_epyc_avx2": "An idle 2-core AMD EPYC (Zen 3) with AVX2 and no AVX-512: the "
    "`cgan` preset as it is now (XLA, one call per epoch, one inter-op thread), with the oneDNN "
    "kernels that `import keras_gans` turns on. `default_run_avx2` was the preset before XLA.",
    "peer_race_epyc_avx512": "On an idle 2-core AMD EPYC with AVX-512 and AVX512_BF16; ours "
    "with one inter-op thread (run as keras-gans-train's default for every CPU run, which it now "
    "is for XLA steps only).",
    "peer_race_epyc_avx512_tf_threads": "The same machine and race, ours with TensorFlow's "
    "inter-op threads (one per core): keras-gans-train's default for this step without XLA.",
    "peer_race_epyc_avx512_fused_bn": "The same machine and race as `_tf_threads`, a day later, "
    "with `FusedBatchNormalization` (fused BatchNorm under a mixed policy; float32 runs the same "
    "code as before). PyTorch ran slower in this sitting than in the earlier files (bfloat16 "
    "80-92 images/s against 102-107), so compare ratios across files with care: "
    "`batch_norm_ab_epyc_avx512` times the change itself.",
    "peer_race_epyc_avx512_zen4": "A 2-core AMD EPYC with AVX-512 and AVX512_BF16 (family 25 "
    "model 17, Zen 4), a later sitting, five paired rounds, started as a training run ended (load "
    "1.7), nothing else running: the library as it is now (fused BatchNorm, TensorFlow's "
    "inter-op threads). PyTorch's bfloat16 ran at 44-100 images/s in three of its first four "
    "blocks and at 114-126 in the others, hence the wide intervals; ours at 103-132 throughout.",
    "peer_race_epyc_avx2": "On an idle 2-core AMD EPYC (Zen 3) with AVX2 and no AVX-512, "
    "float32 only; ours with the oneDNN kernels that `import keras_gans` turns on (TensorFlow "
    "leaves them off on CPUs without AVX-512 VNNI or BF16, AVX-VNNI or AMX).",
    "peer_race_epyc_avx2_onednn_off": "The same machine and race with TensorFlow's own default "
    "there (oneDNN off: Eigen's convolutions), as before `import keras_gans` turned oneDNN on.",
    "peer_race_epyc_avx2_bf16": "The same machine, bfloat16 only, one timed step after one "
    "warm-up step per side and round: neither side has native bfloat16 on this CPU (TensorFlow "
    "falls back from oneDNN to Eigen for it), so a step takes 20 to 85 seconds.",
    "batch_norm_ab_epyc_avx512": "The same machine, the same day as "
    "`peer_race_epyc_avx512_fused_bn`: the gain of the fused BatchNorm alone.",
    "train_throughput_small_presets_9_rounds": "A separate, longer run of the two small presets.",
    "quality_lapgan_epyc_avx512": "LAPGAN's digits preset alone at seed 0 on a 2-core AMD "
    "EPYC with AVX-512, started as a CI run ended (load average 2.1; quality.json's run took 750 s "
    "on an AVX2 EPYC), to time it against the 5-minute budget.",
}


LABELS = {
    "fcd_ratio": "FCD ratio",
    "conditional_accuracy": "accuracy",
    "domain_accuracy": "domain accuracy",
    "min_class_share": "rarest class",
    "cycle_l1": "cycle L1",
}


def headline(entry):
    """One preset's figures from quality.json: each target's median beside it, every seed's FCD
    ratio and the median memorisation ratio."""
    runs = entry["runs"]
    seeds = sorted(runs, key=int)
    parts = []
    for section, median in sorted(entry["median"].items()):
        checks = [c for c in entry["checks"] if c["section"] == section]
        texts = [
            f"{LABELS.get(c['figure'], c['figure'])} {c['median']:.3g} "
            f"({c['op']} {c['target']:g}: {'met' if c['met'] else '**missed**'})"
            for c in checks
        ]
        per_seed = " / ".join(f"{runs[s]['figures'][section]['fcd_ratio']:.2f}" for s in seeds)
        texts.append(f"FCD ratio per seed {per_seed}")
        if "memorisation_ratio" in median:
            texts.append(f"memorisation ratio {median['memorisation_ratio']:.2f}")
        title = f"{section.replace('_to_', '->').upper()}: " if section else ""
        parts.append(title + "; ".join(texts))
    n = runs[seeds[0]]["evaluation"]["num_samples"]
    draws = {len(runs[s].get("evaluation_seeds", [0])) for s in seeds}
    draws = " or ".join(map(str, sorted(draws))) if len(draws) > 1 else draws.pop()
    draws = f" in {draws} draws" if draws != 1 else ""
    config = runs[seeds[0]]["config"]
    seconds = statistics.median(runs[s]["train_seconds"] for s in seeds)
    setup = f", {config['image_size']} px, {run_epochs(config)} epochs, {seconds:.0f} s"
    return setup, " <br> ".join(parts) + f"; medians of seeds {', '.join(seeds)}, n = {n}{draws}"


def readme_models(results_dir=RESULTS_DIR):
    """The README's model table from quality.json: each preset's medians against its targets."""
    with open(os.path.join(results_dir, "quality.json"), encoding="utf-8") as handle:
        presets = json.load(handle)["presets"]
    rows = ["| model | paper | CPU preset | figures against targets |", "|---|---|---|---|"]
    for key, name, paper, link, what in MODELS:
        setup, figure = (
            headline(presets[key]) if key in presets else ("", UNSCORED.get(key, "not measured"))
        )
        rows.append(
            f"| {name} | {paper}, [{link.rsplit('/', 1)[-1]}]({link}) "
            f"| `{key}`: {what}{setup} | {figure} |"
        )
    rows.append("")
    rows.append(
        "Each preset trained from scratch at the seeds listed (three, where time allowed) on 2 "
        "CPU cores; a target holds when the median meets it. Seconds are median wall time on a "
        "machine shared with other jobs (docs/results.md has each run's load). "
        "FCD ratio: Frechet distance of generated images over that of real "
        "held-out images (1 = as close as real data). Memorisation ratio: about 1 = no copying."
    )
    return "\n".join(rows)


def _from_file(render, name):
    def block(results_dir):
        with open(os.path.join(results_dir, name), encoding="utf-8") as handle:
            return render(json.load(handle))

    return block


# The README's generated blocks: name -> function of the results folder.
README_BLOCKS = {
    "models": readme_models,
    "small_data": _from_file(readme_small_data, "small_data.json"),
    "own_images": _from_file(readme_own_images, "own_images.json"),
}


def with_readme_block(readme, block, name="models"):
    """`readme` with the text between block `name`'s BEGIN and END lines replaced by `block`."""
    begin, end_line = BEGIN.format(name), END.format(name)
    start, end = readme.find(begin), readme.find(end_line)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the lines {begin!r} and {end_line!r} (in this order).")
    return readme[: start + len(begin)] + "\n" + block + "\n" + readme[end:]


def with_readme_blocks(readme, results_dir=RESULTS_DIR):
    """`readme` with every block of README_BLOCKS regenerated."""
    for name, make in README_BLOCKS.items():
        readme = with_readme_block(readme, make(results_dir), name)
    return readme


def longest_prefix(stem, mapping):
    matches = [k for k in mapping if stem == k or stem.startswith(k + "_")]
    return max(matches, key=len) if matches else None


def section(name, data, results_dir):
    """One file's section: title, regeneration command, conditions and its tables."""
    stem = name[: -len(".json")]
    kind = longest_prefix(stem, RENDERERS)
    body = None
    if kind is not None and isinstance(data, dict):
        try:
            body = RENDERERS[kind](data, results_dir)
        except (KeyError, TypeError, IndexError, AttributeError, ValueError):
            body = None  # a layout the renderer does not know: the generic table below
    if body is None:
        body = generic(data)
    commands = COMMANDS.get(longest_prefix(stem, COMMANDS) or "")
    if commands is None and isinstance(data, dict) and isinstance(data.get("command"), str):
        commands = [data["command"]]
    regenerate = (
        "Regenerate: " + ", then ".join(f"`{c}`" for c in commands) + "."
        if commands
        else "No benchmark command is recorded for this file."
    )
    lines = [
        f"## {stem}",
        "",
        f"From [`benchmarks/results/{name}`]({RESULTS_LINK}/{name}). {regenerate}",
    ]
    if stem in NOTES:
        lines[-1] += " " + NOTES[stem]
    if isinstance(data, dict):
        lines += ["", conditions(data)]
    return "\n".join(lines + ["", body, ""])


def render(results_dir=RESULTS_DIR):
    """The text of docs/results.md for the JSON files in `results_dir`."""
    names = sorted(n for n in os.listdir(results_dir) if n.endswith(".json"))
    parts = [
        "# Results",
        "",
        "<!-- Generated by benchmarks/make_results.py from benchmarks/results/*.json: "
        "do not edit by hand. -->",
        "",
        "Every figure below is read from a results file that a benchmark wrote. Unless a section "
        "says otherwise, runs were made on a 2-core Intel Xeon virtual machine without a GPU, "
        "shared with other jobs, so seconds and throughputs vary with its load. To refresh this "
        "page after a benchmark: `python benchmarks/make_results.py`.",
        "",
        "Contents: " + ", ".join(f"[{n[:-5]}](#{n[:-5]})" for n in names) + ".",
        "",
    ]
    for name in names:
        with open(os.path.join(results_dir, name), encoding="utf-8") as handle:
            try:
                data = json.load(handle)
            except json.JSONDecodeError as error:
                parts += [
                    f"## {name[:-5]}",
                    "",
                    f"Not readable as JSON: {error.msg} (line {error.lineno}).",
                    "",
                ]
                continue
        parts.append(section(name, data, results_dir))
    return "\n".join(parts).rstrip("\n") + "\n"


def write_atomic(path, text):
    """Writes `text` to `path` through a temporary file in the same folder and a rename."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results_dir", default=RESULTS_DIR)
    parser.add_argument("--output", default=OUTPUT)
    parser.add_argument(
        "--readme", default=README, help="README whose model table to rewrite; '' for none."
    )
    parser.add_argument(
        "--check", action="store_true", help="Only report whether the outputs are up to date."
    )
    args = parser.parse_args(argv)
    outputs = {args.output: render(args.results_dir)}
    if args.readme:
        with open(args.readme, encoding="utf-8", newline="") as handle:
            outputs[args.readme] = with_readme_blocks(handle.read(), args.results_dir)
    stale = []
    for path, text in outputs.items():
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if current != text:
            stale.append(path)
            if not args.check:
                write_atomic(path, text)
                print(f"wrote {path}")
    if args.check and stale:
        print(f"{', '.join(stale)} stale: run python benchmarks/make_results.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
