"""`keras-gans-train` runs one TensorFlow op at a time for an XLA step on one CPU device (its speed
was bimodal with two), and keeps TensorFlow's choice without XLA, with replicas, a GPU or when
asked."""

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
    "requested, strategy, gpus, jit_compile, expected",
    [
        (None, "default", 0, True, 1),
        (None, "default", 0, False, 0),
        (None, "mirrored", 0, True, 0),
        (None, "multiworker", 0, True, 0),
        (None, "default", 1, True, 0),
        (0, "default", 0, True, 0),
        (3, "mirrored", 2, False, 3),
    ],
)
def test_the_default_is_one_thread_for_xla_on_one_cpu_device(
    requested, strategy, gpus, jit_compile, expected
):
    assert inter_op_threads(requested, strategy, gpus, jit_compile) == expected


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], "1"),  # the default cgan preset compiles with XLA
        (["--model=gan"], "0"),  # no XLA: TensorFlow's choice
    ],
)
def test_the_cli_sets_it_before_training(argv, expected):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["inter_op", expected]
