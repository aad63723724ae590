"""Probe: a trained EMA run scored with BatchNorm statistics recomputed for the averaged weights.

The EMA keeps an average of every BatchNorm moving statistic beside the averaged weights
(`keras_gans.models.ema`). This probe replaces those averaged statistics by the statistics of the
averaged network itself ("standing statistics"): it loads the weights' averages into the live
generator, runs the generator side's forward pass in training mode on `batches` training batches
(the moving statistics follow, momentum 0.9), stores the result as the averaged statistics, puts
every other variable back, and evaluates the copy as `benchmarks/quality.py` does (five draws).

    python benchmarks/ema_statistics_probe.py RUN_DIR COPY_DIR [batches]

Recorded in `quality_tuning.json` (runs `*_standing_stats`); not part of the library.
"""

import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))


def main(run_dir, copy_dir, batches=50):
    import keras

    import keras_gans  # noqa: F401  (registers the classes the saved model names)
    from keras_gans.metrics.evaluate import evaluate_run
    from keras_gans.registry import get_spec
    from keras_gans.training import TrainConfig

    sys.path.insert(0, HERE)
    import quality

    shutil.rmtree(copy_dir, ignore_errors=True)
    shutil.copytree(run_dir, copy_dir)
    config = TrainConfig(**json.load(open(os.path.join(run_dir, "config.json"))))
    model = keras.saving.load_model(os.path.join(run_dir, "model.keras"))
    dataset, _ = get_spec(config.model).make_dataset(config, 1)
    sources, averages = model._ema_sources(), model._ema_weights
    num_weights = len(model.generator_variables())
    keep = [v for v in model.variables if all(v is not a for a in averages)]
    kept = [np.asarray(v) for v in keep]
    for variable, average in zip(sources[:num_weights], averages[:num_weights]):
        variable.assign(average)

    @tf.function
    def forward(data, step):
        batch = model.prepare_batch(data)
        shared = model.generator_pass(batch, step)
        return model.generator_losses({**batch, **shared}, step)

    for i, data in enumerate(dataset.repeat().take(batches)):
        forward(data, tf.constant(i, tf.int64))
    for statistic, average in zip(sources[num_weights:], averages[num_weights:]):
        average.assign(statistic)
    for variable, value in zip(keep, kept):
        variable.assign(value)
    model.save(os.path.join(copy_dir, "model.keras"))
    evaluations = [
        evaluate_run(copy_dir, seed=s, write=False)
        for s in quality.evaluation_seeds(config.seed, 5)
    ]
    print(json.dumps(quality.pooled_figures(evaluations)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:]))
