"""Test-wide setup: the CPU is split into 2 logical devices before TensorFlow initialises.

Distribution tests then run `MirroredStrategy` over `/cpu:0` and `/cpu:1` on any machine.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# One thread per op, in the test workers and every process they start (the variable is
# inherited): the xdist workers already keep every core busy, and the tests' tiny ops only pay
# the hand-offs of a second thread (the suite ran about 11% faster with this).
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")

import tensorflow as tf  # noqa: E402

_CPUS = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _CPUS[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import pytest  # noqa: E402
from tensorflow.python.framework import config as tf_config  # noqa: E402


@pytest.fixture(autouse=True)
def _op_determinism_restored():
    """Puts TensorFlow's op determinism back as the test found it.

    `train(deterministic=True)` turns it on for the whole process, as its users ask; left on, it
    leaks into the worker's next tests (Keras then silently drops `jit_compile=True`).
    """
    before = tf_config.is_op_determinism_enabled()
    yield
    if tf_config.is_op_determinism_enabled() != before:
        (tf_config.enable_op_determinism if before else tf_config.disable_op_determinism)()


@pytest.fixture(scope="session")
def two_replica_strategy():
    """One MirroredStrategy over the two logical CPU devices for the whole session.

    Two MirroredStrategy instances in one process reuse collective instance keys, and the second
    one's all-reduces then abort with a shape mismatch; one shared instance avoids that.
    """
    return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])


@pytest.fixture(scope="session")
def classifier_cache(tmp_path_factory):
    """A cache folder shared by the session's tests, so each reference classifier trains once."""
    return str(tmp_path_factory.mktemp("classifier_cache"))


@pytest.fixture(scope="session")
def cli(tmp_path_factory):
    """`cli.run(module, argv)`: the entry point `keras_gans.flags.<module>` on one command line,
    in a worker process kept for the session (`cli_client.CliWorkers`)."""
    from cli_client import CliWorkers

    workers = CliWorkers(cwd=str(tmp_path_factory.mktemp("cli")))
    yield workers
    workers.close()


# Session fixtures that are costly to make (exports of every model, trained reference
# classifiers): with pytest-xdist each worker would make its own. The tests that use one of them
# share an xdist group, so one worker makes it once; every other test is grouped by its file, so
# module fixtures stay in one process too (`--dist loadgroup` in pyproject.toml).
_SHARED_SESSION_FIXTURES = ("export_of", "classifier_cache")


# The longest groups (about 2.5 minutes each on 2 busy cores) are handed out first, so that no
# worker starts one of them while the other is about to finish.
_LONGEST_GROUPS = ("export_of", "tests/test_every_model.py", "classifier_cache")


# tryfirst: the marks must be in place before xdist's own hook reads them into the node ids.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    groups = {}
    for item in items:
        shared = [name for name in _SHARED_SESSION_FIXTURES if name in item.fixturenames]
        groups[item] = shared[0] if shared else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(groups[item]))
    rank = {group: i for i, group in enumerate(_LONGEST_GROUPS)}
    items.sort(key=lambda item: rank.get(groups[item], len(rank)))  # stable: files stay in order
