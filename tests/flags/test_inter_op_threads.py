"""`keras-gans-train` runs one TensorFlow op at a time on a one-device CPU run (the step's speed
was bimodal with two), and keeps TensorFlow's choice with replicas, a GPU or when asked."""

import os
import subprocess
import sys

import pytest

from keras_gans.flags.common import inter_op_threads

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}

# The CLI's main with `train` replaced by a probe: the thread count TensorFlow has when training
# would start.
PROBE = """
import sys
import tensorflow as tf
from absl import app
from keras_gans.flags import train as cli

def probe(config):
    print("inter_op", tf.config.threading.get_inter_op_parallelism_threads())
    sys.exit(0)

cli.train = probe
app.run(cli.main, argv=["keras-gans-train", *sys.argv[1:]])
"""


@pytest.mark.parametrize(
    "requested, strategy, gpus, expected",
    [
        (None, "default", 0, 1),
        (None, "mirrored", 0, 0),
        (None, "multiworker", 0, 0),
        (None, "default", 1, 0),
        (0, "default", 0, 0),
        (3, "mirrored", 2, 3),
    ],
)
def test_the_default_is_one_thread_for_one_cpu_device(requested, strategy, gpus, expected):
    assert inter_op_threads(requested, strategy, gpus) == expected


def test_the_cli_sets_it_before_training():
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--model=gan"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["inter_op", "1"]
