"""Test-wide setup: the CPU is split into 2 logical devices before TensorFlow initialises.

Distribution tests then run `MirroredStrategy` over `/cpu:0` and `/cpu:1` on any machine.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf  # noqa: E402

_CPUS = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _CPUS[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def two_replica_strategy():
    """One MirroredStrategy over the two logical CPU devices for the whole session.

    Two MirroredStrategy instances in one process reuse collective instance keys, and the second
    one's all-reduces then abort with a shape mismatch; one shared instance avoids that.
    """
    return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
