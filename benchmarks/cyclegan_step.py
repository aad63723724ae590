"""CycleGAN training step: images per second with the shared generator pass against without it.

`CycleGAN` runs each generator once per input per step (`generate`: 6 image passes with the
identity term, the reference code's count); `RecomputingCycleGAN` below is the step as it was
before: the discriminator side ran G_AB(a) and G_BA(b) itself, inside its tape, and the generator
side ran its own translations (8 image passes). Both variants train the very same network
instances (one pair per size), so the difference between instances cannot masquerade as one
between steps. Each variant runs its compiled train function directly, in blocks of `--steps`
steps; every round times one block of each, in alternating order (A B, B A, ...), because this
CPU is shared and its speed drifts. The report gives per variant the median images per second
and CPU milliseconds per image (this process's CPU time, which other processes' load moves less
than wall time) over rounds, the medians of the per-round ratios with bootstrap 95% intervals,
and the load average before and after.

Writes benchmarks/results/cyclegan_step.json.

Run: python benchmarks/cyclegan_step.py [--sizes=32,128] [--batches=8,4] [--rounds=15]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from train_step_ab import median_with_interval, timed_steps  # noqa: E402

from keras_gans.models import CycleGAN  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "cyclegan_step.json")


class RecomputingCycleGAN(CycleGAN):
    """The step before the shared pass: each side runs the generators itself."""

    def generator_pass(self, batch, step):
        return {}

    def discriminator_losses(self, batch, step):
        fakes = self.translations(batch["image_a"], batch["image_b"], identity=False)
        return super().discriminator_losses({**batch, **fakes}, step)

    def generator_losses(self, batch, step):
        outputs = self.translations(batch["image_a"], batch["image_b"], self.identity_weight > 0)
        return super().generator_losses({**batch, **outputs}, step)


def variants(size, channels, base_filters, num_blocks):
    """`{"shared": CycleGAN, "recomputing": RecomputingCycleGAN}` on one set of networks."""
    shared = CycleGAN.build(
        (size, size, channels), base_filters=base_filters, num_blocks=num_blocks
    )
    networks = (
        shared.generator_ab,
        shared.generator_ba,
        shared.discriminator_a,
        shared.discriminator_b,
    )
    models = {"shared": shared, "recomputing": RecomputingCycleGAN(*networks)}
    for model in models.values():
        model.compile()
        model.make_train_function()
    return models


def synthetic_batches(size, channels, batch):
    images = (
        np.random.default_rng(0).uniform(-1, 1, (4 * batch, size, size, channels)).astype("float32")
    )
    dataset = tf.data.Dataset.from_tensor_slices({"image_a": images, "image_b": images[::-1]})
    return dataset.repeat().batch(batch, drop_remainder=True).prefetch(2)


def measure(size, batch, rounds, steps, channels, base_filters, num_blocks):
    models = variants(size, channels, base_filters, num_blocks)
    iterators = {name: iter(synthetic_batches(size, channels, batch)) for name in models}
    for name, model in models.items():  # warm-up: tracing and the first executions
        timed_steps(model, iterators[name], 2)
    load_before = os.getloadavg()
    rates = {name: [] for name in models}
    cpu_ms = {name: [] for name in models}  # this process's CPU time per image: less load-bound
    order = list(models)
    for index in range(rounds):
        for name in order if index % 2 == 0 else order[::-1]:
            cpu_start = time.process_time()
            rates[name].append(batch * steps / timed_steps(models[name], iterators[name], steps))
            cpu_ms[name].append(1e3 * (time.process_time() - cpu_start) / (batch * steps))
    ratios = np.asarray(rates["shared"]) / np.asarray(rates["recomputing"])
    cpu_ratios = np.asarray(cpu_ms["recomputing"]) / np.asarray(cpu_ms["shared"])
    return {
        "image_size": size,
        "batch_size": batch,
        "channels": channels,
        "base_filters": base_filters,
        "num_blocks": num_blocks,
        "rounds": rounds,
        "steps_per_block": steps,
        "images_per_second": {name: float(np.median(values)) for name, values in rates.items()},
        "images_per_second_all": {
            name: [round(v, 2) for v in values] for name, values in rates.items()
        },
        # Per round, shared / recomputing (> 1: the shared pass is faster); median, 95% interval.
        "ratio_shared_over_recomputing": dict(
            zip(("median", "interval_95"), median_with_interval(ratios))
        ),
        "cpu_ms_per_image": {name: float(np.median(values)) for name, values in cpu_ms.items()},
        "cpu_ratio_recomputing_over_shared": dict(
            zip(("median", "interval_95"), median_with_interval(cpu_ratios))
        ),
        "generator_image_passes_per_step": {"shared": 6, "recomputing": 8},
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="32,128")
    parser.add_argument("--batches", default="8,4", help="batch size per image size, in order")
    parser.add_argument("--steps", default="4,2", help="steps per timed block, per image size")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--base_filters", type=int, default=12)
    parser.add_argument("--num_blocks", type=int, default=6)
    args = parser.parse_args()
    sizes = [int(v) for v in args.sizes.split(",")]
    batches = [int(v) for v in args.batches.split(",")]
    steps = [int(v) for v in args.steps.split(",")]
    if not len(sizes) == len(batches) == len(steps):
        raise ValueError(f"--sizes, --batches and --steps need one value each; received {args}.")
    results = []
    for size, batch, block in zip(sizes, batches, steps):
        result = measure(
            size, batch, args.rounds, block, args.channels, args.base_filters, args.num_blocks
        )
        results.append(result)
        rate = result["images_per_second"]
        print(
            f"{size} px, batch {batch}: shared {rate['shared']:.2f} img/s, recomputing "
            f"{rate['recomputing']:.2f} img/s, "
            f"ratio {result['ratio_shared_over_recomputing']['median']:.3f} "
            f"{result['ratio_shared_over_recomputing']['interval_95']}, "
            f"CPU ms/image {result['cpu_ms_per_image']}, "
            f"ratio {result['cpu_ratio_recomputing_over_shared']['median']:.3f}, "
            f"load {result['load_average_before'][0]} -> {result['load_average_after'][0]}",
            flush=True,
        )
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(
            {
                "device": "cpu",
                "cpu_count": os.cpu_count(),
                "variants": {
                    "shared": "CycleGAN: the generate hook, 6 generator image passes per step",
                    "recomputing": "the step before it: each side runs the generators, 8 passes",
                },
                "results": results,
            },
            f,
            indent=2,
        )


if __name__ == "__main__":
    main()
