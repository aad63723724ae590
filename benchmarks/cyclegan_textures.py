"""Cycle L1 of a trained CycleGAN on held-out crops of the bundled textures (grass <-> gravel).

Reads a run folder written by `keras-gans-train --preset=cyclegan` (its `model.keras`
and `config.json`), translates seeded random crops of the held-out bottom quarter of both photos,
and reports, in [-1, 1] units and in grey levels (x 127.5):

- `cycle_l1`: mean |G_BA(G_AB(a)) - a| and |G_AB(G_BA(b)) - b|, what the cycle loss trains down,
  beside `untrained_cycle_l1`, the same architecture with fresh initial weights;
- `translation_l1`: mean |G_AB(a) - a| and |G_BA(b) - b|: a model that learned the identity would
  score a small cycle L1 with a translation L1 near 0;
- simple texture statistics (pixel std, mean absolute horizontal / vertical gradient) of real A,
  real B and both translations: a translation should move A's statistics towards B's and back.

    python benchmarks/cyclegan_textures.py --run_dir=/tmp/cyclegan_run

Writes benchmarks/results/cyclegan_textures.json.
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_gans.data.unpaired import load_unpaired_examples  # noqa: E402

DEFAULT_OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "results", "cyclegan_textures.json"
)
GREY_LEVELS = 127.5  # [-1, 1] -> [0, 255]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run_dir", default="runs/cyclegan", help="Run folder with model.keras and config.json."
    )
    parser.add_argument("--count", type=int, default=256, help="Held-out crops per domain.")
    parser.add_argument(
        "--seed", type=int, default=2024, help="Seed of the held-out crop positions."
    )
    parser.add_argument(
        "--train_seconds", type=float, help="Wall time of the run, to record beside the scores."
    )
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    return parser.parse_args()


def texture_statistics(images):
    """Mean pixel std and mean |horizontal| / |vertical| gradients of `[N, H, W, C]` images."""
    images = np.asarray(images, np.float64)
    return {
        "pixel_std": float(images.std(axis=(1, 2, 3)).mean()),
        "gradient_x": float(np.abs(np.diff(images, axis=2)).mean()),
        "gradient_y": float(np.abs(np.diff(images, axis=1)).mean()),
    }


def main():
    args = parse_args()
    with open(os.path.join(args.run_dir, "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    model = keras.saving.load_model(os.path.join(args.run_dir, "model.keras"), compile=False)
    held_out = load_unpaired_examples(
        config["dataset"],
        config["image_size"],
        config["channels"],
        count=args.count,
        seed=args.seed,
    )
    real_a, real_b = held_out["image_a"], held_out["image_b"]
    fake_b, fake_a = model.translate(real_a, "a_to_b"), model.translate(real_b, "b_to_a")
    cycle = model.cycle_l1(real_a, real_b)
    keras.utils.set_random_seed(args.seed)
    untrained = type(model).from_config(model.get_config()).cycle_l1(real_a, real_b)
    translation = {
        "a": float(np.abs(fake_b - real_a).mean()),
        "b": float(np.abs(fake_a - real_b).mean()),
    }
    result = {
        "run_dir": os.path.abspath(args.run_dir),
        "dataset": config["dataset"],
        "held_out_crops_per_domain": args.count,
        "image_size": config["image_size"],
        "epochs": config["epochs"],
        "cycle_l1": {**cycle, "mean": (cycle["a"] + cycle["b"]) / 2},
        "cycle_l1_grey_levels": {k: v * GREY_LEVELS for k, v in cycle.items()},
        "untrained_cycle_l1": {**untrained, "mean": (untrained["a"] + untrained["b"]) / 2},
        "translation_l1": translation,
        "texture_statistics": {
            "real_a_grass": texture_statistics(real_a),
            "a_to_b": texture_statistics(fake_b),
            "real_b_gravel": texture_statistics(real_b),
            "b_to_a": texture_statistics(fake_a),
        },
    }
    if args.train_seconds is not None:
        result["train_seconds"] = args.train_seconds
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, sort_keys=True)
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
