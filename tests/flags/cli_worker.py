"""Runs one absl entry point on many command lines, one JSON request per stdin line.

    python cli_worker.py keras_gans.flags.export_main
    python cli_worker.py --once keras_gans.flags.export_main FAULT ARG...

absl flags are process-global and the entry points define overlapping flags (--seed, --run_dir),
so each entry point gets its own process; that process then serves every command line of a
property test, as `app.run` would run it: parse the flags (absl's usage error exits 1), call
`main`, and report how it ended. A request is `{"argv": [...], "fault": FAULT or null, "env":
{NAME: value} or null}`; FAULT `"module:attribute:ErrorName"` replaces that attribute by one
raising `tf.errors.ErrorName`, a runtime failure injected where the entry point calls into the
library, and `env` is set for that command line only. For each request it writes one JSON line to
stdout: `{"code": exit code, or null for an exception, "stdout": ..., "stderr": ..., "traceback":
..., "fault_raised": whether the injected error was raised}`.

`--once` runs one command line through the real `app.run` (real exit code and stderr) instead.
"""

import contextlib
import importlib
import io
import json
import os
import sys
import traceback
from unittest import mock

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from absl import flags  # noqa: E402

INJECTED = "injected runtime failure"


@contextlib.contextmanager
def injected(fault):
    """Patches `module:attribute` to raise `tf.errors.<ErrorName>`; yields the mock (or None)."""
    if not fault:
        yield None
        return
    import tensorflow as tf

    module, attribute, error_name = fault.split(":")
    error = getattr(tf.errors, error_name)(None, None, INJECTED)
    with mock.patch.object(
        importlib.import_module(module), attribute, side_effect=error
    ) as patched:
        yield patched


def run_once(module, argv, fault=None, env=None):
    """`(exit code or None, stdout text, stderr text, traceback text, fault raised)` of one
    command line."""
    stderr, stdout = io.StringIO(), io.StringIO()
    code, trace = 0, ""
    with (
        contextlib.redirect_stderr(stderr),
        contextlib.redirect_stdout(stdout),
        mock.patch.dict(os.environ, env or {}),
        injected(fault) as patched,
    ):
        flags.FLAGS.unparse_flags()
        try:
            remaining = flags.FLAGS(argv)
        except flags.Error as error:
            # What app.run does with a bad flag: absl's message and exit status 1.
            print(f"FATAL Flags parsing error: {error}", file=sys.stderr)
            code = 1
        else:
            try:
                module.main(remaining)
            except SystemExit as exit_:
                code = 0 if exit_.code is None else exit_.code
            except BaseException:  # noqa: BLE001 - the property under test: none may escape
                code, trace = None, traceback.format_exc()
    raised = bool(patched is not None and patched.call_count)
    return code, stdout.getvalue(), stderr.getvalue(), trace, raised


def serve(module_name):
    module = importlib.import_module(module_name)
    protocol = sys.stdout
    print(json.dumps({"ready": module_name}), file=protocol, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        code, stdout, stderr, trace, raised = run_once(
            module, request["argv"], request.get("fault"), request.get("env")
        )
        reply = {
            "code": code,
            "stdout": stdout,
            "stderr": stderr,
            "traceback": trace,
            "fault_raised": raised,
        }
        print(json.dumps(reply), file=protocol, flush=True)


def once(module_name, fault, argv):
    """The entry point's own `run()` (absl's app.run), with `fault` injected."""
    module = importlib.import_module(module_name)
    with injected(fault):
        sys.argv = [module_name, *argv]
        module.run()


if __name__ == "__main__":
    if sys.argv[1] == "--once":
        once(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        serve(sys.argv[1])
