"""One process of the two-worker test: trains the test's run with plain SGD and saves its weights.

`python worker_main.py multiworker OUT WEIGHTS` is one worker of `--strategy=multiworker` (cluster
from TF_CONFIG); `python worker_main.py two_devices OUT WEIGHTS` is the reference: one process,
`MirroredStrategy` over two logical CPU devices, same seed, global batch and data.
"""

import importlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

MODE = sys.argv[1]
if MODE == "two_devices":
    # Before TensorFlow initialises its devices.
    (_CPU,) = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(_CPU, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_gans.training import TrainConfig, train  # noqa: E402

# The module, not the `train` function that `keras_gans.training` exports under the same name.
train_module = importlib.import_module("keras_gans.training.train")

LEARNING_RATE = 0.05
STEPS = 3


def sgd_build_and_compile(build_and_compile):
    """Wraps `build_and_compile` to train with SGD.

    SGD's update is linear in the gradient; Adam's first steps move each weight by about
    lr * sign(gradient), so rounding-level gradients of either sign would hide or fake a mismatch.
    """

    def wrapped(config, info, strategy, *args, **kwargs):
        model = build_and_compile(config, info, strategy, *args, **kwargs)
        with strategy.scope():
            model.compile(
                d_optimizer=keras.optimizers.SGD(LEARNING_RATE),
                g_optimizer=keras.optimizers.SGD(LEARNING_RATE),
                loss=config.loss,
            )
        return model

    return wrapped


def main(mode, output_dir, weights_path):
    train_module.build_and_compile = sgd_build_and_compile(train_module.build_and_compile)
    if mode == "two_devices":
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        train_module.make_strategy = lambda name: strategy
        # As in a process that has trained before: TensorFlow's process-wide seed is set. The
        # example order must not depend on it (it did, and the reference saw other batches).
        tf.random.set_seed(1234)
    elif mode != "multiworker":
        raise ValueError(f"mode must be multiworker or two_devices; received {mode!r}.")
    config = dict(
        model="dcgan",
        strategy="multiworker" if mode == "multiworker" else "mirrored",
        epochs=1,
        steps_per_epoch=STEPS,
        batch_size=16,
        base_filters=8,
        jit_compile=False,  # the dcgan preset's XLA compile is not under test here
        steps_per_execution=1,
        export=False,
        verbose=0,
        output_dir=output_dir,
    )
    config["evaluate"] = False  # the end-of-run evaluation is not under test here
    result = train(TrainConfig(**config))
    if result.model.distribute_strategy.num_replicas_in_sync != 2:
        raise AssertionError(
            f"expected 2 replicas; ran on {result.model.distribute_strategy.num_replicas_in_sync}."
        )
    np.savez(weights_path, *[np.asarray(w) for w in result.model.weights])


if __name__ == "__main__":
    main(*sys.argv[1:4])
