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

# The package before TensorFlow, as users import it: it sets TensorFlow's oneDNN default.
import keras_gans  # noqa: E402, F401

# isort: split
import tensorflow as tf  # noqa: E402

# No Grappler graph rewrites in the test workers: the tests' graphs are tiny and each runs a few
# steps, so optimising them cost more than it saved (26% of the every-model CycleGAN and StackGAN
# checks). Rewrites keep what a graph computes; the processes the tests start (the CLI tools,
# the SavedModel reloads, the workers of a multi-worker run) still apply them.
tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
_CPUS = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _CPUS[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import contextlib  # noqa: E402

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


class _SharedReloader:
    """One SavedModel-checking child per test worker, instead of one per export.

    `export_model` starts a fresh process for every export and that process spends most of its
    life importing TensorFlow (about 6 s of a core). The tests' exports share one, restarted if
    a failure ended it; it still imports no Keras and loads each SavedModel from disk.
    Tests marked `own_reloader` (`tests/export/test_reload_process.py`, which checks the
    library's own child per export) get `original`, the library's.
    """

    def __init__(self, original):
        self.original = original
        self.child = None

    def __call__(self, formats):
        from keras_gans.export import reload_process

        if "saved_model" not in formats:
            return contextlib.nullcontext()
        if self.child is None or self.child._closed or self.child.process.poll() is not None:
            self.child = reload_process.SavedModelReloader()
        return contextlib.nullcontext(self.child)


@pytest.fixture(scope="session", autouse=True)
def _exports_share_one_reloader():
    # Session-wide and autouse, so that the session fixtures' exports (`export_of`) share it too.
    from keras_gans.export import exporter

    shared = _SharedReloader(exporter._reloader)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exporter, "_reloader", shared)
        yield shared
    if shared.child is not None:
        shared.child.close()


@pytest.fixture(autouse=True)
def _own_reloader_where_marked(request, monkeypatch, _exports_share_one_reloader):
    if request.node.get_closest_marker("own_reloader") is not None:
        from keras_gans.export import exporter

        monkeypatch.setattr(exporter, "_reloader", _exports_share_one_reloader.original)


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
