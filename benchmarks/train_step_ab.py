"""Our train_step against the keras.io-style baseline on the very same network instances.

`train_throughput.py` builds a separate model per variant; on this shared 2-core machine one
instance can run 15 to 30% faster than another of the same architecture. Here each pair shares its
networks (the baseline trains the networks of the model beside it), two pairs rotate in timed
blocks, and the ratio is taken within each pair. Writes benchmarks/results/train_step_ab.json.

Run: python benchmarks/train_step_ab.py [--preset=dcgan_32] [--batch=32] [--rounds=15]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import train_throughput as tt  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "train_step_ab.json")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="dcgan_32", choices=sorted(tt.PRESETS))
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--block_seconds", type=float, default=2.0)
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args()
    variants = {}
    for tag in ("a", "b"):
        ours = tt.with_policy("float32", tt.PRESETS[args.preset])
        ours.compile()
        plain = tt.PlainGAN(ours.generator, ours.discriminator, ours.latent_dim, isinstance(ours, tt.CGAN))
        plain.compile()
        variants[f"ours_{tag}"], variants[f"plain_{tag}"] = ours, plain
    load_before = os.getloadavg()[0]
    rates = tt.rotating_images_per_second(variants, args.batch, args.rounds, args.block_seconds)
    report = {
        "preset": args.preset,
        "batch": args.batch,
        "rounds": args.rounds,
        "images_per_second": rates,
        "ours_over_plain": {tag: rates[f"ours_{tag}"] / rates[f"plain_{tag}"] for tag in ("a", "b")},
        "load_average_before_after": [load_before, os.getloadavg()[0]],
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
