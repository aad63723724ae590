"""Quality of each model's CPU default run: metrics beside the real-versus-real baseline.

Trains every model's preset (`keras_gans.training.train` with the preset defaults: a fixed budget
of epochs on the bundled data) and evaluates it with `keras_gans.metrics.evaluate_run`. Results are
merged per model into `benchmarks/results/quality.json` and printed as a table.

    python benchmarks/quality.py                       # every model with a reference classifier
    python benchmarks/quality.py --models=cgan,dcgan   # some
    python benchmarks/quality.py --models=cgan --epochs=50
    # recorded as cgan_mixed_bfloat16:
    python benchmarks/quality.py --models=cgan --precision=mixed_bfloat16
"""

import argparse
import dataclasses
import os
import platform
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "quality.json")
# Models whose CPU default data has a reference classifier (LAPGAN's default is the faces).
DEFAULT_MODELS = ("gan", "dcgan", "cgan", "stackgan", "cyclegan")


def run_one(model, epochs, runs_dir, num_samples, seed, precision="float32"):
    """Trains `model`'s preset and evaluates it; returns the result record."""
    from keras_gans.metrics.evaluate import evaluate_run
    from keras_gans.training import TrainConfig, train

    output_dir = os.path.join(runs_dir, result_key(model, precision))
    # A fresh run: train() resumes from a run folder's checkpoints.
    shutil.rmtree(output_dir, ignore_errors=True)
    start = time.perf_counter()
    config = TrainConfig(
        model=model,
        epochs=epochs,
        output_dir=output_dir,
        export=False,
        verbose=0,
        seed=seed,
        precision=precision,
        evaluate=False,  # evaluated below, with this script's sample count
    )
    result = train(config)
    train_seconds = time.perf_counter() - start
    evaluation = evaluate_run(output_dir, num_samples=num_samples, seed=seed)
    return {
        "config": {k: v for k, v in dataclasses.asdict(result.config).items() if v is not None},
        "train_seconds": round(train_seconds, 1),
        "evaluation": evaluation,
    }


def result_key(model, precision):
    """Where a run is recorded: the model's name, suffixed by any precision but float32."""
    return model if precision == "float32" else f"{model}_{precision}"


def table(results):
    """One row per model (and direction): the headline figures, generated / real baseline."""
    header = (
        f"{'model':<18}{'n':>5}{'train s':>9}{'accuracy':>17}{'class. score':>17}"
        f"{'FCD':>17}{'KID':>19}{'FCD ratio':>11}{'memo. ratio':>13}"
    )
    from keras_gans.metrics.compare import sections

    rows = [header, "-" * len(header)]
    for model, record in results.items():
        evaluation = record["evaluation"]
        for title, part in sections(evaluation):
            g, b = part["generated"], part["real_baseline"]
            accuracy_key = (
                "conditional_accuracy" if "conditional_accuracy" in g else "domain_accuracy"
            )
            accuracy = (
                f"{g[accuracy_key]:.3f} / {b[accuracy_key]:.3f}" if accuracy_key in g else "-"
            )
            rows.append(
                f"{(model + (' ' + title if title else '')):<18}{evaluation['num_samples']:>5}"
                f"{record['train_seconds']:>9.0f}{accuracy:>17}"
                f"{g['classifier_score']:>8.2f} / {b['classifier_score']:<6.2f}"
                f"{g['frechet_classifier_distance']:>8.4f} / "
                f"{b['frechet_classifier_distance']:<6.4f}"
                f"{g['kernel_distance']:>9.4f} / {b['kernel_distance']:<7.4f}"
                f"{part['fcd_ratio']:>11.2f}"
                f"{part.get('memorisation_ratio', float('nan')):>13.2f}"
            )
    return "\n".join(rows)


def merge(path, new_results):
    """Merges `new_results` into the JSON at `path` by model, atomically."""
    from keras_gans import run_files

    payload = run_files.read_json(path) if os.path.isfile(path) else {"results": {}}
    payload["results"].update(new_results)
    payload["machine"] = {
        "platform": platform.platform(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    run_files.write_json(path, payload)
    return payload


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models", default=",".join(DEFAULT_MODELS), help="Comma-separated model names."
    )
    parser.add_argument("--epochs", type=int, default=None, help="Override every preset's epochs.")
    parser.add_argument(
        "--num_samples", type=int, default=None, help="Images per set (default: held-out size)."
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--precision",
        default="float32",
        choices=("float32", "mixed_bfloat16", "mixed_float16"),
        help="Training precision (the generator is evaluated in float32 either way).",
    )
    parser.add_argument(
        "--runs_dir", default="/tmp/keras_gans_quality", help="Where the runs are written."
    )
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args(argv)

    results = {}
    for model in [m.strip() for m in args.models.split(",") if m.strip()]:
        print(f"training and evaluating {model} ...", file=sys.stderr, flush=True)
        try:
            results[result_key(model, args.precision)] = run_one(
                model, args.epochs, args.runs_dir, args.num_samples, args.seed, args.precision
            )
        except ValueError as error:  # e.g. an --epochs override a preset's schedule refuses
            print(f"{model}: skipped: {error}", file=sys.stderr)
    payload = merge(args.output, results)
    print(
        "generated / real baseline (FCD ratio = generated FCD / baseline FCD; memo. ratio = "
        "generated / baseline mean distance to the nearest training image, ~1 = no copying)"
    )
    print(table(payload["results"]))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
