"""Our DCGAN at 64x64x3 against pytorch/examples' DCGAN, in float32 and bfloat16, on this CPU.

Ours is `DCGAN.build(image_shape=(64, 64, 3), latent_dim=100, base_filters=64)` (ngf = ndf = 64,
as the example), compiled with the defaults (non-saturating loss, Adam(2e-4, beta_1=0.5)) and
trained with `fit` on one random batch repeated by `tf.data`; bfloat16 is the `mixed_bfloat16`
policy. Theirs is benchmarks/peer_torch_dcgan.py (the example's networks and loop, bfloat16 under
`torch.autocast`), run in the PyTorch virtual environment. Each side runs in a worker process of
its own that keeps its models between rounds, one precision at a time.

In every round and batch size each side runs `--warmup` untimed steps, then `--steps` timed ones;
the sides alternate (ours first in even rounds, theirs first in odd ones), so the machine's
changing load falls on both. A round's ratio is ours / theirs in images per second (> 1: ours
faster); a cell reports the median over rounds and a bootstrap 95% interval of it, with the 1-minute
load average before and after every timed block. Writes benchmarks/results/peer_race.json.

PyTorch is optional: without `--torch_python` (default .torch-venv/bin/python) the script says how
to install it and exits 0, writing nothing. `--theirs=keras_batch_norm` races ours against ours
with Keras's own `BatchNormalization` instead of `FusedBatchNormalization` (no PyTorch needed; in
float32 both run Keras's code, so that precision is an A/A control).

Run: python benchmarks/peer_race.py [--rounds=3] [--steps=5] [--batches=64,128]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench_common import (  # noqa: E402
    cpu_description,
    load_average,
    median_with_interval,
    serve,
    write_report,
)

RESULTS = os.path.join(HERE, "results", "peer_race.json")
INSTALL = (
    "PyTorch not found at {path}. To race against pytorch/examples' DCGAN, install it with\n"
    "    python3 -m venv .torch-venv && .torch-venv/bin/pip install torch numpy\n"
    "(the CPU wheel, --index-url https://download.pytorch.org/whl/cpu, is smaller where reachable)"
    "\nor pass --torch_python=PATH. Nothing was written."
)
POLICIES = {"float32": "float32", "bfloat16": "mixed_bfloat16"}


def ours_worker(
    precision,
    jit_compile=False,
    steps_per_execution=1,
    inter_op_threads=None,
    keras_batch_norm=False,
):
    """Serves timed rounds of our DCGAN-64 (imports TensorFlow in this worker process only).

    Its TensorFlow runs `inter_op_threads` ops at once (None: keras-gans-train's default, 1 for an
    XLA step on a CPU, else TensorFlow's choice); `keras_batch_norm` builds the networks with
    Keras's `BatchNormalization` instead of ours.
    """
    import keras_gans  # noqa: F401  (first: it sets TensorFlow's oneDNN default)

    # isort: split
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gans.flags.common import set_inter_op_threads
    from keras_gans.models import DCGAN, conv_blocks

    if keras_batch_norm:
        conv_blocks.FusedBatchNormalization = keras.layers.BatchNormalization

    set_inter_op_threads(inter_op_threads, "default", jit_compile)

    keras.mixed_precision.set_dtype_policy(POLICIES[precision])
    models, datasets = {}, {}

    class Clock(keras.callbacks.Callback):
        def __init__(self, warmup):
            super().__init__()
            self.warmup, self.start, self.end = warmup, None, None

        def on_train_batch_end(self, batch, logs=None):
            # The losses are read to wait for the step itself, not only its dispatch.
            [np.asarray(value) for value in (logs or {}).values()]
            # Step `warmup - 1` ends the warm-up (with steps_per_execution, whole executions).
            if self.start is None and batch + 1 >= self.warmup:
                self.start = time.perf_counter()
            # The clock stops at the last step, not when fit returns: fit's end destroys the
            # input iterator, which can wait most of a second for tf.data's autotuning thread.
            self.end = time.perf_counter()

    def run_round(batch, warmup, steps):
        if batch not in models:
            # A model per batch size: one train function traced for one input shape, as a user's.
            keras.utils.set_random_seed(0)
            models[batch] = DCGAN.build(image_shape=(64, 64, 3), latent_dim=100, base_filters=64)
            models[batch].compile(jit_compile=jit_compile, steps_per_execution=steps_per_execution)
            images = np.random.default_rng(0).uniform(-1, 1, (batch, 64, 64, 3))
            datasets[batch] = tf.data.Dataset.from_tensors(images.astype(np.float32)).repeat()
        clock = Clock(warmup)
        models[batch].fit(
            datasets[batch], epochs=1, steps_per_epoch=warmup + steps, verbose=0, callbacks=[clock]
        )
        return {
            "seconds": clock.end - clock.start,
            "ours_inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
        }

    serve(run_round)


class Worker:
    """A worker process answering timed rounds over its stdin / stdout."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        self._reply()

    def _reply(self):
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"worker {self.process.args} exited with {self.process.wait()}")

    def round(self, **request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def race(args, torch_python):
    """Every round of every cell, as the rows of the report."""
    cells, versions = [], {}
    for precision in args.precisions.split(","):
        ours_command = [sys.executable, __file__, "--worker", f"--precision={precision}"]
        ours_command += [
            f"--jit_compile={int(args.jit_compile)}",
            f"--steps_per_execution={args.steps_per_execution}",
        ]
        if args.inter_op_threads is not None:
            ours_command.append(f"--inter_op_threads={args.inter_op_threads}")
        if args.theirs == "keras_batch_norm":
            theirs_command = ours_command + ["--keras_batch_norm"]
        else:
            theirs_command = [
                torch_python,
                os.path.join(HERE, "peer_torch_dcgan.py"),
                f"--precision={precision}",
            ]
        workers = {"ours": Worker(ours_command), "theirs": Worker(theirs_command)}
        rounds = {int(b): [] for b in args.batches.split(",")}
        for index in range(args.rounds):
            for batch, rows in rounds.items():
                row = {"round": index}
                for side in ("ours", "theirs") if index % 2 == 0 else ("theirs", "ours"):
                    before = load_average()
                    reply = workers[side].round(batch=batch, warmup=args.warmup, steps=args.steps)
                    row[f"{side}_images_per_second"] = args.steps * batch / reply.pop("seconds")
                    row[f"{side}_load_before_after"] = [before, load_average()]
                    versions.update(reply)
                row["ours_over_theirs"] = (
                    row["ours_images_per_second"] / row["theirs_images_per_second"]
                )
                rows.append(row)
                print(json.dumps({"precision": precision, "batch": batch, **row}), flush=True)
        for worker in workers.values():
            worker.close()
        for batch, rows in rounds.items():
            ratio, interval = median_with_interval([r["ours_over_theirs"] for r in rows])
            cells.append(
                {
                    "precision": precision,
                    "batch": batch,
                    "ours_over_theirs": ratio,
                    "ours_over_theirs_95": interval,
                    **{
                        f"{side}_images_per_second": statistics.median(
                            r[f"{side}_images_per_second"] for r in rows
                        )
                        for side in ("ours", "theirs")
                    },
                    "rounds": rows,
                }
            )
    return cells, versions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="Paired rounds per cell.")
    parser.add_argument("--steps", type=int, default=5, help="Timed steps per side and round.")
    parser.add_argument("--warmup", type=int, default=2, help="Untimed steps before them.")
    parser.add_argument("--batches", default="64,128")
    parser.add_argument("--precisions", default="float32,bfloat16")
    parser.add_argument("--jit_compile", type=int, default=0, help="Ours with XLA (1) or not.")
    parser.add_argument("--steps_per_execution", type=int, default=1, help="Ours' compile arg.")
    parser.add_argument(
        "--inter_op_threads",
        type=int,
        default=None,
        help="Ours' TensorFlow inter-op threads (default: keras-gans-train's; 0: TensorFlow's).",
    )
    parser.add_argument(
        "--torch_python", default=os.path.join(ROOT, ".torch-venv", "bin", "python")
    )
    parser.add_argument(
        "--theirs",
        choices=("pytorch", "keras_batch_norm"),
        default="pytorch",
        help="The other side: PyTorch's example, or ours with Keras's BatchNormalization.",
    )
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keras_batch_norm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--precision", default="float32", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return ours_worker(
            args.precision,
            bool(args.jit_compile),
            args.steps_per_execution,
            args.inter_op_threads,
            args.keras_batch_norm,
        )
    if args.warmup < 1 or args.steps < 1 or args.rounds < 1:
        raise ValueError(
            f"--warmup, --steps and --rounds must be at least 1; received {args.warmup}, "
            f"{args.steps} and {args.rounds}."
        )
    if args.warmup % args.steps_per_execution or args.steps % args.steps_per_execution:
        raise ValueError(
            f"--steps_per_execution ({args.steps_per_execution}) must divide --warmup "
            f"({args.warmup}) and --steps ({args.steps}): fit runs whole executions."
        )
    if args.theirs == "pytorch" and not os.path.exists(args.torch_python):
        print(INSTALL.format(path=args.torch_python))
        return 0
    started, load_before = time.time(), load_average()
    cells, versions = race(args, args.torch_python)
    report = {
        "statistic": (
            "per cell: median over paired rounds of ours / theirs images per second (> 1: ours "
            "faster), bootstrap 95% interval; images per second are the median round's"
        ),
        "command": " ".join(["python", "benchmarks/peer_race.py", *sys.argv[1:]]),
        "cpu_count": os.cpu_count(),
        **cpu_description(),
        "theirs": args.theirs,
        "rounds": args.rounds,
        "warmup_steps": args.warmup,
        "timed_steps": args.steps,
        "ours_jit_compile": bool(args.jit_compile),
        "ours_steps_per_execution": args.steps_per_execution,
        "load_average_before_after": [load_before, load_average()],
        "minutes": (time.time() - started) / 60,
        **versions,
        "cells": cells,
    }
    write_report(args.output, report)
    print("| precision | batch | ours (img/s) | theirs (img/s) | ours / theirs [95%] |")
    print("|---|---:|---:|---:|---:|")
    for c in cells:
        low, high = c["ours_over_theirs_95"]
        print(
            f"| {c['precision']} | {c['batch']} | {c['ours_images_per_second']:.1f} | "
            f"{c['theirs_images_per_second']:.1f} | {c['ours_over_theirs']:.3f} "
            f"[{low:.3f}, {high:.3f}] |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
