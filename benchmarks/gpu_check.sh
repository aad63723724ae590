#!/usr/bin/env bash
# Confirms that ONNX Runtime's CUDA provider really runs an exported generator, and times it.
#
#   benchmarks/gpu_check.sh                        # exports an untrained DCGAN 64x64x3 first
#   benchmarks/gpu_check.sh runs/x/export/generator/1/model.onnx [more.onnx ...]
#
# Given ONNX files it needs neither TensorFlow nor an install of keras-gans: onnxruntime-gpu,
# numpy and this checkout are enough (a deployment box). PYTHONPATH must then reach a folder where
# `keras_gans/export` is this repo's `export/` (see benchmarks/README.md).
#
# Needs an NVIDIA GPU with its driver, and onnxruntime-gpu with the CUDA and cuDNN libraries it
# was built for. Exits non-zero when the session falls back to the CPU (OnnxRunner(device="cuda")
# raises then), when CUDA outputs with TF32 off differ from the CPU's by more than 1e-4 (1e-2 with
# TF32 on, the CUDA provider's default), or when no GPU is visible. Writes $GPU_CHECK_JSON (default benchmarks/results/gpu_check.json).
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

"$PYTHON" - "$@" <<'PY'
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

from keras_gans.export import providers
from keras_gans.export.inputs import random_inputs
from keras_gans.export.runner import OnnxRunner

print(f"onnxruntime {ort.__version__}; available providers {ort.get_available_providers()}; "
      f"CUDA devices seen by the driver: {providers.cuda_device_count()}")
model_paths = sys.argv[1:]
scratch = tempfile.TemporaryDirectory(prefix="keras-gans-gpu-check-")
if not model_paths:
    import tensorflow as tf

    # TensorFlow only builds and exports here; keep it off the GPU so ONNX Runtime gets all its memory.
    tf.config.set_visible_devices([], "GPU")
    from keras_gans.export import export_model
    from keras_gans.models import DCGAN

    result = export_model(
        DCGAN.build(image_shape=(64, 64, 3), latent_dim=100), scratch.name, formats=("onnx",), onnx_target="cuda"
    )
    model_paths = [result.paths["generator"]["onnx"]]


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
for model_path in model_paths:
    print(f"model: {model_path}")
    gpu = OnnxRunner(model_path, device="cuda")  # raises RuntimeError if the session fell back
    assert gpu.provider == providers.CUDA, gpu.provider
    gpu_bound = OnnxRunner(model_path, device="cuda", io_binding=True)
    gpu_fp32 = OnnxRunner(model_path, device="cuda", io_binding=True, tf32=False)
    cpu = OnnxRunner(model_path, device="cpu")
    print(f"session providers: {gpu.session.get_providers()}")
    for batch in (1, 64):
        feed = random_inputs(gpu.input_specs, batch, seed=batch)
        reference = cpu.run(feed)
        outputs = gpu.run(feed)
        diff = max(float(np.max(np.abs(outputs[n] - reference[n]))) for n in reference)
        bound_diff = max(float(np.max(np.abs(gpu_bound.run(feed)[n] - reference[n]))) for n in reference)
        fp32_diff = max(float(np.max(np.abs(gpu_fp32.run(feed)[n] - reference[n]))) for n in reference)
        row = {
            "model": model_path,
            "batch_size": batch,
            "cuda_ms": median_ms(lambda: gpu.run(feed)),
            "cuda_io_binding_ms": median_ms(lambda: gpu_bound.run(feed)),
            "cuda_io_binding_no_tf32_ms": median_ms(lambda: gpu_fp32.run(feed)),
            "cpu_ms": median_ms(lambda: cpu.run(feed), repeats=10, warmup=2),
            "cpu_threads": providers.physical_cores(),
            "max_abs_diff_cuda_vs_cpu": diff,
            "max_abs_diff_io_binding": bound_diff,
            "max_abs_diff_no_tf32": fp32_diff,
        }
        rows.append(row)
        print(json.dumps(row))
        if max(diff, bound_diff) > 1e-2 or fp32_diff > 1e-4:
            sys.exit(f"gpu_check: CUDA outputs differ from CPU outputs by {max(diff, bound_diff):.3g} "
                     f"with TF32 (limit 1e-2) and {fp32_diff:.3g} without (limit 1e-4).")

out = os.environ.get("GPU_CHECK_JSON", "benchmarks/results/gpu_check.json")
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    json.dump({"onnxruntime": ort.__version__, "results": rows}, f, indent=2)
print("| model | batch | CUDA (ms) | CUDA + I/O binding (ms) | same, TF32 off (ms) | CPU (ms) "
      "| max abs diff vs CPU: TF32 / off |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {os.path.basename(os.path.dirname(os.path.dirname(r['model'])))} | {r['batch_size']} "
          f"| {r['cuda_ms']:.2f} | {r['cuda_io_binding_ms']:.2f} | {r['cuda_io_binding_no_tf32_ms']:.2f} "
          f"| {r['cpu_ms']:.2f} | {max(r['max_abs_diff_cuda_vs_cpu'], r['max_abs_diff_io_binding']):.2g} "
          f"/ {r['max_abs_diff_no_tf32']:.2g} |")
print("gpu_check: CUDAExecutionProvider runs the exported generators.")
PY
