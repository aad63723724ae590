"""Latency of each generator under Keras `predict`, the SavedModel and ONNX Runtime.

Exports the model (both formats, parity-checked) to a temporary folder, then times every backend
with numpy in and numpy out, in rotating blocks so that drifts in the load of other processes fall
on all of them alike. Reports the median of the repeats after warm-up.

    python benchmarks/inference_latency.py                         # untrained DCGAN 64x64x3, z=100
    python benchmarks/inference_latency.py --model_path=runs/x/model.keras --batch_sizes=1,16

Writes benchmarks/results/inference_latency.json and prints a Markdown table.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans import export  # noqa: E402
from keras_gans.export import inputs as inputs_lib  # noqa: E402
from keras_gans.export import providers, signatures  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common  # noqa: E402

DEFAULT_OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "results", "inference_latency.json"
)
BACKENDS = ("keras_predict", "saved_model", "onnx_runtime")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model_path", help="A .keras training model; default an untrained DCGAN.")
    parser.add_argument("--image_size", type=int, default=64)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--latent_dim", type=int, default=100)
    parser.add_argument("--base_filters", type=int, default=64)
    parser.add_argument("--batch_sizes", default="1,64")
    parser.add_argument(
        "--repeats", type=int, default=50, help="Timed calls per backend and batch."
    )
    parser.add_argument("--warmup", type=int, default=3, help="Untimed calls before each block.")
    parser.add_argument("--rounds", type=int, default=5, help="Blocks per backend, rotated.")
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    return parser.parse_args()


def load_model(args):
    if args.model_path:
        return export.load_training_model(args.model_path), os.path.basename(args.model_path)
    from keras_gans.models import DCGAN

    model = DCGAN.build(
        image_shape=(args.image_size, args.image_size, args.channels),
        latent_dim=args.latent_dim,
        base_filters=args.base_filters,
    )
    size = f"{args.image_size}x{args.image_size}x{args.channels}"
    name = f"untrained DCGAN {size}, latent {args.latent_dim}, base_filters {args.base_filters}"
    return model, name


def backends(graph, paths):
    """`{backend: (call(feed) -> numpy outputs, description)}` for one exported graph."""
    signature = tf.saved_model.load(paths["saved_model"]).signatures["serving_default"]
    session, provider = providers.create_session(paths["onnx"])
    onnx_outputs = [o.name for o in session.get_outputs()]

    def keras_predict(feed, batch):
        values = list(feed.values())
        return graph.predict(values[0] if len(values) == 1 else values, batch_size=batch, verbose=0)

    def saved_model(feed, batch):
        return {
            k: v.numpy()
            for k, v in signature(**{k: tf.constant(v) for k, v in feed.items()}).items()
        }

    def onnx_runtime(feed, batch):
        return session.run(onnx_outputs, feed)

    calls = {
        "keras_predict": keras_predict,
        "saved_model": saved_model,
        "onnx_runtime": onnx_runtime,
    }
    return calls, provider


def time_backends(calls, feed, batch, repeats, warmup, rounds=5):
    """Median, min, 10th and 90th percentile milliseconds per backend.

    Backends run in blocks (warm-up, then `repeats / rounds` timed calls) and the blocks rotate
    `rounds` times. Blocks rather than call-by-call interleaving: TensorFlow's and ONNX Runtime's
    thread pools spin for a while after each call, which would slow whichever backend runs next.
    Rotating the blocks spreads slow drifts in the machine's load over every backend.
    """
    times = {name: [] for name in calls}
    per_round = max(1, repeats // rounds)
    for _ in range(rounds):
        for name, call in calls.items():
            for _ in range(warmup):
                call(feed, batch)
            for _ in range(per_round):
                start = time.perf_counter()
                call(feed, batch)
                times[name].append((time.perf_counter() - start) * 1e3)
    return {
        name: {
            "median_ms": float(np.median(t)),
            "min_ms": float(np.min(t)),
            "p10_ms": float(np.percentile(t, 10)),
            "p90_ms": float(np.percentile(t, 90)),
        }
        for name, t in times.items()
    }


def machine():
    return {
        "cpu": bench_common.cpu_description()["cpu"] or platform.processor(),
        "physical_cores": providers.physical_cores(),
        "logical_cpus": os.cpu_count(),
        "tensorflow": tf.__version__,
        "onnxruntime": ort.__version__,
    }


def main():
    args = parse_args()
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    model, model_name = load_model(args)
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="keras-gans-latency-") as folder:
        result = export.export_model(model, folder)
        for graph_name, graph in model.inference_models().items():
            calls, provider = backends(graph, result.paths[graph_name])
            specs = inputs_lib.specs_from_tensor_specs(
                signatures.input_specs(graph), getattr(model, "num_classes", None)
            )
            for batch in batch_sizes:
                feed = inputs_lib.random_inputs(specs, batch, seed=batch)
                timings = time_backends(calls, feed, batch, args.repeats, args.warmup, args.rounds)
                rows.append(
                    {
                        "graph": graph_name,
                        "batch_size": batch,
                        "onnx_provider": provider,
                        **{f"{name}_ms": timings[name]["median_ms"] for name in BACKENDS},
                        "onnx_vs_saved_model": (
                            timings["onnx_runtime"]["median_ms"]
                            / timings["saved_model"]["median_ms"]
                        ),
                        "onnx_vs_saved_model_min": timings["onnx_runtime"]["min_ms"]
                        / timings["saved_model"]["min_ms"],
                        "min_ms": {name: timings[name]["min_ms"] for name in BACKENDS},
                        "p10_p90_ms": {
                            name: [timings[name]["p10_ms"], timings[name]["p90_ms"]]
                            for name in BACKENDS
                        },
                    }
                )
    report = {
        "model": model_name,
        "repeats": args.repeats,
        "warmup": args.warmup,
        "statistic": (
            "median ms per call (also min, p10, p90), numpy in and numpy out, rotating blocks"
        ),
        "rounds": args.rounds,
        "machine": machine(),
        "load_average_before_after": [load_before[0], os.getloadavg()[0]],
        "results": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print(
        f"{model_name}; {report['machine']['cpu']}, "
        f"{report['machine']['physical_cores']} physical cores"
    )
    print(f"load average (1 min) before/after: {report['load_average_before_after']}")
    print(
        "| graph | batch | Keras predict (ms) | SavedModel (ms) | ONNX Runtime (ms) "
        "| ONNX / SavedModel | (fastest call) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['graph']} | {row['batch_size']} | {row['keras_predict_ms']:.2f} | "
            f"{row['saved_model_ms']:.2f} | {row['onnx_runtime_ms']:.2f} | "
            f"{row['onnx_vs_saved_model']:.2f}x | {row['onnx_vs_saved_model_min']:.2f}x |"
        )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
