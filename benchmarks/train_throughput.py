"""Training throughput: images per second of one training step, ours against a plain baseline.

For each preset (GAN and CGAN at 16 pixels, DCGAN at 32 and 64 pixels) and two batch sizes, times
`fit` steps of the keras-gans model with XLA off and on, and of a keras.io-style `train_step`
written here on the same networks (the baseline). Also counts the step's FLOPs (forward FLOPs from
TensorFlow's profiler, a backward pass taken as twice its forward; our step is 3 generator and 9
discriminator forward passes: one G forward shared by both sides, forward and backward of D on real
and fake, then forward and backward through D and backward through G; CGAN, which draws fresh noise
for the generator side, and the baseline make it 4 and 9) and reports the share of this machine's
measured float32 matmul rate our step reaches. Writes benchmarks/results/train_throughput.json.

Run: python benchmarks/train_throughput.py [--quick] [--presets=dcgan_64] [--rounds=3]
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans.models import CGAN, DCGAN, GAN  # noqa: E402

RESULTS = os.path.join(os.path.dirname(__file__), "results", "train_throughput.json")


class PlainGAN(keras.Model):
    """The keras.io GAN guide's train_step, on injected networks (the baseline)."""

    def __init__(self, generator, discriminator, latent_dim, conditional):
        super().__init__()
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim, self.conditional = latent_dim, conditional
        self.image_shape = tuple(generator.outputs[0].shape[1:])
        self.num_classes = 10
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.built = True

    def compile(self):
        super().compile(optimizer=None, jit_compile=False)
        self.d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def train_step(self, data):
        real = data["images"]
        extra = [data["labels"]] if self.conditional else []
        batch = tf.shape(real)[0]
        noise = tf.random.normal([batch, self.latent_dim])
        with tf.GradientTape() as tape:
            fake = self.generator([noise] + extra if extra else noise, training=True)
            real_logits = self.discriminator([real] + extra if extra else real, training=True)
            fake_logits = self.discriminator([fake] + extra if extra else fake, training=True)
            d_loss = self.bce(tf.ones_like(real_logits), real_logits) + self.bce(
                tf.zeros_like(fake_logits), fake_logits
            )
        grads = tape.gradient(d_loss, self.discriminator.trainable_variables)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        noise = tf.random.normal([batch, self.latent_dim])
        with tf.GradientTape() as tape:
            fake = self.generator([noise] + extra if extra else noise, training=True)
            fake_logits = self.discriminator([fake] + extra if extra else fake, training=True)
            g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}


PRESETS = {
    "gan_16": lambda: GAN.build((16, 16, 1), latent_dim=64),
    "cgan_16": lambda: CGAN.build((16, 16, 1), latent_dim=64, num_classes=10),
    "dcgan_32": lambda: DCGAN.build((32, 32, 1), latent_dim=100, base_filters=32),
    "dcgan_64": lambda: DCGAN.build((64, 64, 3), latent_dim=100, base_filters=64),
}


def with_policy(policy, build):
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_dtype_policy(policy)
    try:
        keras.utils.set_random_seed(0)
        return build()
    finally:
        keras.mixed_precision.set_dtype_policy(previous)


def synthetic_batches(model, batch):
    rng = np.random.default_rng(0)
    element = {"images": rng.uniform(-1, 1, (batch,) + model.image_shape).astype(np.float32)}
    if isinstance(model, CGAN) or getattr(model, "conditional", False):
        element["labels"] = rng.integers(0, model.num_classes, batch).astype(np.int32)
    return tf.data.Dataset.from_tensors(element).repeat()


def time_block(model, data, steps):
    start = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    return time.perf_counter() - start


def rotating_images_per_second(models, batch, rounds, block_seconds):
    """Images per second of each model's `fit` steps, timed in blocks that rotate between models.

    Rotating blocks (ours, XLA, bf16, plain, ours, ...) instead of one model after the other keep a
    shared machine's changing load from landing on one variant; the median block counts.
    """
    steps = {}
    for label, model in models.items():
        data = synthetic_batches(model, batch)
        model.fit(data, epochs=1, steps_per_epoch=3, verbose=0)  # trace and warm up
        one = time_block(model, data, 2) / 2
        steps[label] = (data, int(np.clip(round(block_seconds / max(one, 1e-6)), 3, 1000)))
    times = {label: [] for label in models}
    for _ in range(rounds):
        for label, model in models.items():
            data, n = steps[label]
            times[label].append(n * batch / time_block(model, data, n))
    return {label: float(np.median(rates)) for label, rates in times.items()}


def forward_flops(network):
    specs = [tf.TensorSpec([1] + list(i.shape[1:]), i.dtype) for i in network.inputs]
    concrete = tf.function(
        lambda *x: network(list(x) if len(x) > 1 else x[0])
    ).get_concrete_function(*specs)
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    profile = tf.compat.v1.profiler.profile(graph=concrete.graph, options=options)
    return profile.total_float_ops


def matmul_rate(dtype=tf.float32, size=2048, repeats=10):
    a = tf.random.normal([size, size], dtype=tf.float32)
    a = tf.cast(a, dtype)
    run = tf.function(lambda: tf.reduce_sum(tf.cast(tf.matmul(a, a), tf.float32)))
    run()
    start = time.perf_counter()
    for _ in range(repeats):
        run().numpy()
    return 2 * size**3 * repeats / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps, one batch size")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--rounds", type=int, default=3, help="Timed blocks per variant.")
    parser.add_argument(
        "--block_seconds", type=float, default=4.0, help="Length of one timed block."
    )
    parser.add_argument("--output", default=RESULTS, help="Where the JSON goes.")
    args = parser.parse_args()
    rounds, block_seconds = (2, 1.0) if args.quick else (args.rounds, args.block_seconds)
    peak = matmul_rate()
    peak_bf16 = matmul_rate(tf.bfloat16)
    load_before = os.getloadavg()[0]
    rows = []
    for name in args.presets.split(","):
        build = PRESETS[name]
        for batch in (64,) if args.quick else (32, 128):
            row = {"preset": name, "batch": batch}
            models = {}
            for label, policy, jit in (
                ("ours", "float32", False),
                ("ours_xla", "float32", True),
                ("ours_bf16", "mixed_bfloat16", False),
            ):
                models[label] = with_policy(policy, build)
                models[label].compile(jit_compile=jit)
            ours = with_policy("float32", build)
            models["plain"] = PlainGAN(
                ours.generator, ours.discriminator, ours.latent_dim, isinstance(ours, CGAN)
            )
            models["plain"].compile()
            row.update(rotating_images_per_second(models, batch, rounds, block_seconds))
            generator_passes = 3 if ours.share_generator_pass else 4
            flops = generator_passes * forward_flops(ours.generator) + 9 * forward_flops(
                ours.discriminator
            )
            row["step_gflop_per_image"] = flops / 1e9
            row["share_of_f32_matmul_peak"] = row["ours"] * flops / peak
            row["ours_over_plain"] = row["ours"] / row["plain"]
            row["xla_over_ours"] = row["ours_xla"] / row["ours"]
            row["bf16_over_ours"] = row["ours_bf16"] / row["ours"]
            rows.append(row)
            print(json.dumps(row), flush=True)
    report = {
        "f32_matmul_gflops": peak / 1e9,
        "bf16_matmul_gflops": peak_bf16 / 1e9,
        "rounds": rounds,
        "block_seconds": block_seconds,
        "statistic": "median over rotating timed blocks of images per second",
        "load_average_before_after": [load_before, os.getloadavg()[0]],
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "rows": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    print(f"\nfloat32 matmul {peak / 1e9:.0f} GFLOP/s, bfloat16 {peak_bf16 / 1e9:.0f} GFLOP/s")
    header = (
        f"{'preset':10} {'batch':>5} {'ours':>9} {'plain':>9} "
        f"{'ratio':>6} {'xla':>6} {'bf16':>6} {'%peak':>6}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['preset']:10} {r['batch']:5d} {r['ours']:9.0f} {r['plain']:9.0f} "
            f"{r['ours_over_plain']:6.2f} {r['xla_over_ours']:6.2f} {r['bf16_over_ours']:6.2f} "
            f"{100 * r['share_of_f32_matmul_peak']:6.1f}"
        )


if __name__ == "__main__":
    main()
