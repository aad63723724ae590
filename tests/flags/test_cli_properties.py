"""Property test: `keras-gans-train` ends bad input in one line, and only bad input.

Runs the entry point in-process, as absl's `app.run` would: flags are parsed (absl reports bad
flags itself, with the choices, and exits 1), then `main` either finishes, or exits 2 with a
one-line `error:` message. Some examples inject a runtime failure (InternalError,
ResourceExhaustedError) into training: it is not bad input, so it must escape `main` with its
traceback (exit 1 under `app.run`), never become exit 2. Any other exception is a failure.
"""

import contextlib
import io
from unittest import mock

import pytest
import tensorflow as tf
from absl import flags
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from keras_gans.flags import train as train_cli


def flag(name, values):
    return st.one_of(st.none(), values.map(lambda v: f"--{name}={v}"))


JUNK = st.text(alphabet="abz:/._-0123456789", min_size=0, max_size=8)
ARGV = st.tuples(
    flag("model", st.sampled_from(["gan", "cgan", "dcgan", "vae", ""])),
    flag(
        "dataset",
        st.one_of(st.sampled_from(["digits", "tfds:nope_x", "folder:/nonexistent", "tfds:"]), JUNK),
    ),
    flag("epochs", st.integers(-2, 2)),
    flag("batch_size", st.integers(-1, 3000)),
    flag("image_size", st.sampled_from([-8, 0, 7, 8, 12, 16])),
    flag("latent_dim", st.integers(-1, 8)),
    flag("channels", st.sampled_from(["1", "2", "3"])),
    flag("strategy", st.sampled_from(["default", "mirrored", "tpu"])),
    flag("loss", st.sampled_from(["hinge", "least_squares", "wgan", "wasserstein"])),
    flag("precision", st.sampled_from(["float32", "mixed_bfloat16", "half"])),
    flag("learning_rate", st.sampled_from(["0", "-1", "0.001", "nan"])),
    flag("ema_decay", st.sampled_from(["0.5", "1.5", "0"])),
    st.booleans(),
)


FAULTS = st.sampled_from([None] * 3 + [tf.errors.InternalError, tf.errors.ResourceExhaustedError])


def run_main(args, output_dir, fault=None):
    """How one command line ends: "flag error", "exit 2", "ok" or "runtime failure".

    `fault`, an OpError class, is raised where `main` calls `train`: once raised, it must escape
    `main`. Any other exception escapes this function (a failure).
    """
    argv = [
        "keras-gans-train",
        *[a for a in args[:-1] if a],
        f"--output_dir={output_dir}",
        "--noexport",
        "--noevaluate",
        "--verbose=0",
        "--steps_per_epoch=1",
    ]
    if args[-1]:
        argv.append("--dry_run")
    flags.FLAGS.unparse_flags()
    try:
        remaining = flags.FLAGS(argv)
    except flags.Error:
        return "flag error"  # app.run prints absl's message and exits 1
    stderr = io.StringIO()
    injected = (
        mock.patch.object(train_cli, "train", side_effect=fault(None, None, "injected"))
        if fault
        else contextlib.nullcontext()
    )
    try:
        with contextlib.redirect_stderr(stderr), injected as patched:
            train_cli.main(remaining)
    except SystemExit as exit_:
        assert not (patched and patched.called), (
            f"{argv}: a runtime failure became exit {exit_.code}"
        )
        errors = [line for line in stderr.getvalue().splitlines() if "error:" in line]
        assert (
            exit_.code == 2
            and len(errors) == 1
            and errors[0].startswith("keras-gans-train: error: ")
        ), f"{argv} exited {exit_.code}; stderr:\n{stderr.getvalue()}"
        assert "Traceback" not in stderr.getvalue()
        return "exit 2"
    except tf.errors.OpError as error:
        if fault is None or not isinstance(error, fault):
            raise
        return "runtime failure"  # app.run prints the traceback and exits 1
    return "ok"


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(args=ARGV, fault=FAULTS)
# The defaults (CGAN on digits) reach `train`: the injected failure must surface.
@example(args=(None,) * 12 + (False,), fault=tf.errors.InternalError)
@example(args=(None,) * 12 + (False,), fault=tf.errors.ResourceExhaustedError)
def test_random_flags_end_in_one_line_or_a_runtime_traceback(args, fault, tmp_path_factory):
    output_dir = tmp_path_factory.mktemp("run")
    ending = run_main(args, output_dir, fault)
    assert ending in ("flag error", "exit 2", "ok", "runtime failure")


@pytest.fixture(autouse=True)
def _restore_flags():
    yield
    flags.FLAGS.unparse_flags()
