"""One tuning run: a preset with TrainConfig overrides at seed 0, trained and evaluated.

The runs behind the CPU presets' settings (benchmarks/results/quality_tuning.json) were made with
this script, one JSON spec per run; their figures were collected into that file by hand.

    python benchmarks/quality_tuning.py '{"model": "dcgan", "tag": "dcgan_200_aug", "epochs": 200,
        "augment": "color,translation,cutout"}'

`patch` maps `module.function` to keyword arguments bound with functools.partial (used before
`GAN.build` took `generator_units`).
"""

import functools
import importlib
import json
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv):
    spec = json.loads(argv[1])
    model, tag = spec.pop("model"), spec.pop("tag")
    for target, kwargs in spec.pop("patch", {}).items():
        module, name = target.rsplit(".", 1)
        module = importlib.import_module(module)
        setattr(module, name, functools.partial(getattr(module, name), **kwargs))
    from keras_gans.metrics.compare import sections
    from keras_gans.metrics.evaluate import evaluate_run
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
    evaluation = evaluate_run(output_dir)
    parts = [
        f"{title} fcd_ratio={part['fcd_ratio']:.2f} "
        f"memo={part.get('memorisation_ratio', float('nan')):.2f}"
        for title, part in sections(evaluation)
    ]
    print(f"{tag}: {seconds:.0f}s " + " | ".join(parts), flush=True)
    with open(os.path.join(output_dir, "eval.json"), "w") as handle:
        json.dump(evaluation, handle)


if __name__ == "__main__":
    main(sys.argv)
