"""A trained DCGAN discriminator as a feature extractor (Radford et al. 2015, Section 5.1).

Features of the digits: every hidden conv layer of the discriminator max-pooled to 4x4, flattened
and concatenated (`DCGAN.discriminator_features`). A logistic regression on standardised features
is fitted on 10, 50 and all labels per class of the digits' train split (seeded subsets) and scored
on the held-out split (`keras_gans.metrics.classifiers.digits_split`), beside raw pixels and an
untrained discriminator of the same shape (fresh weights).

    python benchmarks/dcgan_features.py                          # trains the dcgan preset first
    python benchmarks/dcgan_features.py --run_dir=runs/dcgan --seeds=0,1,2

writes `benchmarks/results/dcgan_features.json` and prints the table.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "dcgan_features.json")
FEATURE_SETS = ("raw_pixels", "untrained_d", "trained_d")
LABELS_PER_CLASS = ("10", "50", "all")


def train_default(epochs, seed):
    """Trains the `dcgan` preset into a fresh folder under /tmp; returns `(run_dir, seconds)`."""
    from keras_gans.training import TrainConfig, train

    run_dir = tempfile.mkdtemp(prefix="keras_gans_dcgan_features_")
    config = TrainConfig(
        model="dcgan",
        preset="dcgan",
        epochs=epochs,
        seed=seed,
        output_dir=run_dir,
        export=False,
        evaluate=False,
        verbose=0,
    )
    start = time.perf_counter()
    train(config)
    return run_dir, time.perf_counter() - start


def load_run(run_dir):
    """The trained DCGAN of a run folder and its resolved config."""
    from keras_gans import run_files
    from keras_gans.export import load_training_model
    from keras_gans.models.dcgan import DCGAN

    model = load_training_model(os.path.join(run_dir, run_files.MODEL_FILE))
    if not isinstance(model, DCGAN):
        raise ValueError(f"{run_dir} holds a {type(model).__name__}, not a DCGAN.")
    return model, run_files.read_json(os.path.join(run_dir, run_files.CONFIG_FILE))


def untrained_like(config, seed):
    """A DCGAN built as the run's preset builds it, with fresh (seeded) weights."""
    from keras_gans.models.dcgan import DCGAN

    keras.utils.set_random_seed(seed)
    return DCGAN.build(
        (config["image_size"], config["image_size"], config["channels"]),
        config["latent_dim"],
        seed=config["seed"],
        base_filters=config["base_filters"],
    )


def subset(labels, per_class, seed):
    """Indices of `per_class` examples of each class drawn with `seed` (all for 'all')."""
    if per_class == "all":
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    return np.sort(
        np.concatenate(
            [
                rng.choice(np.flatnonzero(labels == c), int(per_class), replace=False)
                for c in np.unique(labels)
            ]
        )
    )


def accuracy(train_x, train_y, test_x, test_y):
    """`(held-out accuracy, converged)` of a logistic regression on standardised features."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        classifier.fit(train_x, train_y)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return float(classifier.score(test_x, test_y)), converged


def evaluate(features, train_y, test_y, seeds):
    """`{labels_per_class: {"mean", "per_seed", "converged"}}` for `features = (train, test)`."""
    out = {}
    for per_class in LABELS_PER_CLASS:
        scores, converged = [], []
        # "all" uses the whole train split: one fit stands for every seed (lbfgs is deterministic).
        for seed in seeds if per_class != "all" else seeds[:1]:
            index = subset(train_y, per_class, seed)
            score, done = accuracy(features[0][index], train_y[index], features[1], test_y)
            scores.append(score)
            converged.append(done)
        out[per_class] = {
            "mean": float(np.mean(scores)),
            "per_seed": scores,
            "converged": all(converged),
        }
    return out


def table(results):
    header = f"{'labels per class':<18}" + "".join(f"{name:>14}" for name in FEATURE_SETS)
    rows = [header]
    for per_class in LABELS_PER_CLASS:
        rows.append(
            f"{per_class:<18}"
            + "".join(f"{results[name][per_class]['mean']:>14.4f}" for name in FEATURE_SETS)
        )
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run_dir", default=None, help="A dcgan run folder; default: train one.")
    parser.add_argument(
        "--epochs", type=int, default=None, help="Training epochs (default the preset's)."
    )
    parser.add_argument("--seeds", default="0", help="Comma-separated seeds of the label subsets.")
    parser.add_argument("--train_seed", type=int, default=0, help="Seed of the training run.")
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if not seeds:
        raise ValueError(f"--seeds must list at least one integer; received {args.seeds!r}.")

    from keras_gans.metrics.classifiers import digits_split

    run = {"run_dir": args.run_dir, "trained_here": args.run_dir is None}
    if args.run_dir is None:
        print("training the dcgan preset ...", file=sys.stderr, flush=True)
        run["run_dir"], run["train_seconds"] = train_default(args.epochs, args.train_seed)
    model, config = load_run(run["run_dir"])
    run["config"] = {k: config[k] for k in sorted(config) if k != "output_dir"}
    if args.epochs is not None:
        run["note"] = f"--epochs={args.epochs}: shortened from the preset's epochs."

    (train_x, train_y), (test_x, test_y) = digits_split(image_size=config["image_size"])
    untrained = untrained_like(config, args.train_seed)
    start = time.perf_counter()
    features = {
        "raw_pixels": [x.reshape(len(x), -1) for x in (train_x, test_x)],
        "untrained_d": [untrained.discriminator_features(x) for x in (train_x, test_x)],
        "trained_d": [model.discriminator_features(x) for x in (train_x, test_x)],
    }
    results = {name: evaluate(features[name], train_y, test_y, seeds) for name in FEATURE_SETS}
    payload = {
        "command": "python benchmarks/dcgan_features.py"
        + (f" --run_dir={args.run_dir}" if args.run_dir else "")
        + (f" --epochs={args.epochs}" if args.epochs is not None else "")
        + (f" --seeds={args.seeds}" if seeds != [0] else ""),
        "method": "Radford et al. 2015, Section 5.1: every hidden conv layer of D max-pooled to "
        "4x4, flattened and concatenated; StandardScaler + LogisticRegression(max_iter=5000); "
        "subsets of the train split drawn per seed and class; accuracy on the held-out split.",
        "split": {"train": int(len(train_y)), "heldout": int(len(test_y))},
        "gan_training_data": f"dataset {config['dataset']!r} as the preset's pipeline loads it, "
        "without labels (the digits' 896-image train split: the held-out split is never trained "
        "on)",
        "feature_sizes": {name: int(features[name][0].shape[1]) for name in FEATURE_SETS},
        "seeds": seeds,
        "results": results,
        "run": run,
        "evaluate_seconds": time.perf_counter() - start,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
        },
    }
    if not run["trained_here"]:
        run["run_dir"] = os.path.abspath(run["run_dir"])
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print("held-out accuracy (mean over seeds " + ", ".join(map(str, seeds)) + ")")
    print(table(results))
    print(f"wrote {args.output}")
    return payload


if __name__ == "__main__":
    main()
