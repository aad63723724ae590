"""Property test: random flag combinations never end `keras-gans-train` in a traceback.

Runs the entry point in-process, as absl's `app.run` would: flags are parsed (absl reports bad
flags itself, with the choices, and exits 1), then `main` either finishes, or exits 2 with a
one-line message. Any other exception is a failure.
"""

import os

import pytest
from absl import flags
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_gans.flags import train as train_cli


def flag(name, values):
    return st.one_of(st.none(), values.map(lambda v: f"--{name}={v}"))


JUNK = st.text(alphabet="abz:/._-0123456789", min_size=0, max_size=8)
ARGV = st.tuples(
    flag("model", st.sampled_from(["gan", "cgan", "dcgan", "vae", ""])),
    flag("dataset", st.one_of(st.sampled_from(["digits", "tfds:nope_x", "folder:/nonexistent", "tfds:"]), JUNK)),
    flag("epochs", st.integers(-2, 2)),
    flag("batch_size", st.integers(-1, 3000)),
    flag("image_size", st.sampled_from([-8, 0, 7, 8, 12, 16])),
    flag("latent_dim", st.integers(-1, 8)),
    flag("channels", st.sampled_from(["1", "2", "3"])),
    flag("strategy", st.sampled_from(["default", "mirrored", "tpu"])),
    flag("loss", st.sampled_from(["hinge", "least_squares", "wgan"])),
    flag("precision", st.sampled_from(["float32", "mixed_bfloat16", "half"])),
    flag("learning_rate", st.sampled_from(["0", "-1", "0.001", "nan"])),
    flag("ema_decay", st.sampled_from(["0.5", "1.5", "0"])),
    st.booleans(),
)


def run_main(args, output_dir):
    argv = ["keras-gans-train", *[a for a in args[:-1] if a], f"--output_dir={output_dir}",
            "--noexport", "--noevaluate", "--verbose=0", "--steps_per_epoch=1"]
    if args[-1]:
        argv.append("--dry_run")
    flags.FLAGS.unparse_flags()
    try:
        remaining = flags.FLAGS(argv)
    except flags.Error:
        return "flag error"  # app.run prints absl's message and exits 1
    try:
        train_cli.main(remaining)
    except SystemExit as exit_:
        assert exit_.code == 2
        return "exit 2"
    return "ok"


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(args=ARGV)
def test_random_flags_never_end_in_a_traceback(args, tmp_path_factory):
    output_dir = tmp_path_factory.mktemp("run")
    assert run_main(args, output_dir) in ("flag error", "exit 2", "ok")


@pytest.fixture(autouse=True)
def _restore_flags():
    yield
    flags.FLAGS.unparse_flags()
