#!/usr/bin/env bash
# Confirms that ONNX Runtime's CUDA provider really runs an exported generator, and times it.
#
#   benchmarks/gpu_check.sh                        # exports an untrained DCGAN 64x64x3 first
#   benchmarks/gpu_check.sh runs/x/export/generator/1/model.onnx
#
# Needs an NVIDIA GPU with its driver, and onnxruntime-gpu with the CUDA and cuDNN libraries it
# was built for. Exits non-zero when the session falls back to the CPU (OnnxRunner(device="cuda")
# raises then), when CUDA and CPU outputs differ by more than 1e-3 (the CUDA provider may use
# TF32), or when no GPU is visible. Writes benchmarks/results/gpu_check.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
export TF_CPP_MIN_LOG_LEVEL=3

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu_check: no NVIDIA GPU visible (nvidia-smi missing or failing)." >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

"$PYTHON" - "${1:-}" <<'PY'
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort
import tensorflow as tf

# TensorFlow only builds and exports here; keep it off the GPU so ONNX Runtime gets all its memory.
tf.config.set_visible_devices([], "GPU")

from keras_gans.export import OnnxRunner, export_model, providers
from keras_gans.export.inputs import random_inputs

print(f"onnxruntime {ort.__version__}; available providers {ort.get_available_providers()}; "
      f"CUDA devices seen by the driver: {providers.cuda_device_count()}")
model_path = sys.argv[1]
scratch = tempfile.TemporaryDirectory(prefix="keras-gans-gpu-check-")
if not model_path:
    from keras_gans.models import DCGAN

    result = export_model(DCGAN.build(image_shape=(64, 64, 3), latent_dim=100), scratch.name, formats=("onnx",))
    model_path = result.paths["generator"]["onnx"]
print(f"model: {model_path}")

gpu = OnnxRunner(model_path, device="cuda")  # raises RuntimeError if the session fell back
assert gpu.provider == providers.CUDA, gpu.provider
gpu_bound = OnnxRunner(model_path, device="cuda", io_binding=True)
cpu = OnnxRunner(model_path, device="cpu")
print(f"session providers: {gpu.session.get_providers()}")


def median_ms(call, repeats=50, warmup=10):
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


rows = []
for batch in (1, 64):
    feed = random_inputs(gpu.input_specs, batch, seed=batch)
    reference = cpu.run(feed)
    outputs = gpu.run(feed)
    diff = max(float(np.max(np.abs(outputs[n] - reference[n]))) for n in reference)
    bound_diff = max(float(np.max(np.abs(gpu_bound.run(feed)[n] - outputs[n]))) for n in reference)
    row = {
        "batch_size": batch,
        "cuda_ms": median_ms(lambda: gpu.run(feed)),
        "cuda_io_binding_ms": median_ms(lambda: gpu_bound.run(feed)),
        "cpu_ms": median_ms(lambda: cpu.run(feed), repeats=10, warmup=2),
        "max_abs_diff_cuda_vs_cpu": diff,
        "max_abs_diff_io_binding": bound_diff,
    }
    rows.append(row)
    print(json.dumps(row))
    if diff > 1e-3 or bound_diff > 1e-3:
        sys.exit(f"gpu_check: CUDA outputs differ from CPU outputs by {max(diff, bound_diff):.3g} (> 1e-3).")

os.makedirs("benchmarks/results", exist_ok=True)
with open("benchmarks/results/gpu_check.json", "w", encoding="utf-8") as f:
    json.dump({"model": model_path, "onnxruntime": ort.__version__, "results": rows}, f, indent=2)
print("| batch | CUDA (ms) | CUDA + I/O binding (ms) | CPU (ms) | max abs diff vs CPU |")
print("|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['batch_size']} | {r['cuda_ms']:.2f} | {r['cuda_io_binding_ms']:.2f} | {r['cpu_ms']:.2f} "
          f"| {r['max_abs_diff_cuda_vs_cpu']:.2g} |")
print("gpu_check: CUDAExecutionProvider runs the exported generator.")
PY
