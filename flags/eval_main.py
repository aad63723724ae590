"""`keras-gans-eval`: quality metrics of a training run, beside the real-versus-real baseline.

    keras-gans-eval --run_dir=runs/cgan [--num_samples=500] [--seed=0]
    keras-gans-eval --generator=runs/cgan/export/generator/1/model.onnx
    keras-gans-eval --run_dir=runs/dcgan_folder --inception_graph=classify_image_graph_def.pb \
        --inception_sha256=HEX

The figures are merged into `metrics.json` under `"evaluation"` (the run folder's, or the one beside
an exported generator) and printed as a table. Bad input prints one `error: ...` line and exits
with status 2.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

from keras_gans.flags.common import fail, user_errors  # noqa: E402

PROGRAM = "keras-gans-eval"

flags.DEFINE_string(
    "run_dir", None, "Run folder written by keras-gans-train (config.json, model.keras)."
)
flags.DEFINE_string(
    "generator",
    None,
    "Or: an exported generator (.keras, SavedModel folder, .onnx) inside its run folder.",
)
flags.DEFINE_integer(
    "num_samples",
    None,
    "Images per set (default: the reference data's held-out split size).",
    lower_bound=2,
)
# numpy seeds the subsets and the noise, and its seeds are >= 0.
flags.DEFINE_integer(
    "seed", 0, "Seed of the generator's noise and of the subsets drawn.", lower_bound=0
)
flags.DEFINE_string(
    "inception_graph",
    None,
    "Runs on folder:/folders:: TTUR's classify_image_graph_def.pb, for standard FID/KID (never "
    "downloaded; default: download-free random-convolution features).",
)
flags.DEFINE_string("inception_sha256", None, "The sha256 --inception_graph must have.")
flags.DEFINE_string(
    "cache_dir", None, "Cache of the reference classifiers (default ~/.cache/keras_gans)."
)


def format_table(evaluation):
    """The generated and real-baseline figures as text tables, one per section (e.g. direction)."""
    from keras_gans.metrics.compare import sections

    lines = []
    for title, section in sections(evaluation):
        generated, baseline = section["generated"], section["real_baseline"]
        lines.append(f"{title or 'metric':<30}{'generated':>12}{'real baseline':>16}")
        for name, value in generated.items():
            if not name.endswith("_std"):
                lines.append(f"  {name:<28}{value:>12.4f}{baseline.get(name, float('nan')):>16.4f}")
        ratio = "fd_ratio" if "fd_ratio" in section else "fcd_ratio"
        lines.append(f"  {ratio:<28}{section[ratio]:>12.2f}")
        if "memorisation_ratio" in section:
            lines.append(f"  {'memorisation_ratio':<28}{section['memorisation_ratio']:>12.2f}")
    return "\n".join(lines)


def _scored_by(evaluation):
    """What the figures are on: the reference classifier, or a folder run's features."""
    if "classifier" in evaluation:
        accuracy = evaluation["classifier"]["heldout_accuracy"]
        return f"reference classifier held-out accuracy {accuracy:.4f}"
    extractor = evaluation["feature_extractor"]
    return f"features {extractor['name']}: {extractor['description']}"


def main(argv):
    if len(argv) > 1:
        fail(PROGRAM, f"unexpected arguments {argv[1:]}; every option is a --flag.")
    values = flags.FLAGS
    # Imported after flag parsing so that --help answers without loading TensorFlow.
    from keras_gans.metrics.evaluate import evaluate_run

    with user_errors(PROGRAM):
        # An empty `--run_dir=` names no folder: it counts as not given.
        sources = [value for value in (values.run_dir, values.generator) if value]
        if len(sources) != 1:
            raise ValueError(
                "give exactly one of --run_dir and --generator; received "
                f"--run_dir={values.run_dir!r} and --generator={values.generator!r}."
            )
        evaluation = evaluate_run(
            sources[0],
            num_samples=values.num_samples,
            seed=values.seed,
            cache_dir=values.cache_dir or None,
            inception_graph=values.inception_graph or None,
            inception_sha256=values.inception_sha256 or None,
        )
    print(
        f"{evaluation['model']} on {evaluation['dataset']}, n={evaluation['num_samples']}, "
        + _scored_by(evaluation)
    )
    print(format_table(evaluation))
    print(f"Wrote {evaluation['metrics_path']}")


def run():
    """Console-script entry point."""
    app.run(main)


if __name__ == "__main__":
    run()
