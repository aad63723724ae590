"""One tuning run: a preset with TrainConfig overrides (seed 0 unless given), trained and evaluated.

The runs behind the CPU presets' settings (benchmarks/results/quality_tuning.json) were made with
this script, one JSON spec per run; their figures were collected into that file by hand.

    python benchmarks/quality_tuning.py '{"model": "dcgan", "tag": "dcgan_200_aug", "epochs": 200,
        "augment": "color,translation,cutout"}'

Each run is evaluated like `quality.py` evaluates one: `draws` evaluation draws (5; the training
seed, then it plus 1000, ...) pooled by `quality.pooled_figures`.

`patch` maps `module.function` to keyword arguments that override the caller's, given by name or
by position (used before `GAN.build` took `generator_units`, and to set the conv CGAN's generator
and discriminator widths apart).
"""

import functools
import importlib
import inspect
import json
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _overriding(function, overrides):
    """`function` with `overrides` replacing the arguments of those names, however passed."""
    names = list(inspect.signature(function).parameters)

    @functools.wraps(function)
    def patched(*args, **kwargs):
        return function(**{**dict(zip(names, args)), **kwargs, **overrides})

    return patched


def main(argv):
    spec = json.loads(argv[1])
    model, tag = spec.pop("model"), spec.pop("tag")
    draws = spec.pop("draws", 5)
    for target, kwargs in spec.pop("patch", {}).items():
        module, name = target.rsplit(".", 1)
        module = importlib.import_module(module)
        setattr(module, name, _overriding(getattr(module, name), kwargs))
    from keras_gans.metrics.evaluate import evaluate_run

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from quality import evaluation_seeds, pooled_figures

    from keras_gans.training import TrainConfig, train

    output_dir = f"/tmp/tune/{tag}"
    shutil.rmtree(output_dir, ignore_errors=True)
    start = time.time()
    train(
        TrainConfig(
            model=model, output_dir=output_dir, export=False, evaluate=False, verbose=0, **spec
        )
    )
    seconds = time.time() - start
    evaluations = [
        evaluate_run(output_dir, seed=seed, write=False)
        for seed in evaluation_seeds(spec.get("seed", 0), draws)
    ]
    figures = pooled_figures(evaluations)
    parts = [
        f"{title} " + " ".join(f"{name}={value:.3f}" for name, value in sorted(part.items()))
        for title, part in figures.items()
    ]
    print(f"{tag}: {seconds:.0f}s " + " | ".join(parts), flush=True)
    with open(os.path.join(output_dir, "eval.json"), "w") as handle:
        json.dump({"figures": figures, "evaluations": evaluations}, handle)


if __name__ == "__main__":
    main(sys.argv)
