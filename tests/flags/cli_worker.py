"""Runs one absl entry point on many command lines, one JSON argv per stdin line.

    python cli_worker.py keras_gans.flags.export_main

absl flags are process-global and the entry points define overlapping flags (--seed, --run_dir),
so each entry point gets its own process; that process then serves every command line of a
property test, as `app.run` would run it: parse the flags (absl's usage error exits 1), call
`main`, and report how it ended. For each line it writes one JSON line to stdout:
`{"code": exit code, or null for an exception, "stderr": ..., "traceback": ...}`.
"""

import contextlib
import importlib
import io
import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from absl import flags  # noqa: E402


def run_once(module, argv):
    """`(exit code or None, stderr text, traceback text)` of one command line."""
    stderr, stdout = io.StringIO(), io.StringIO()
    code, trace = 0, ""
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
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
    return code, stderr.getvalue(), trace


def serve(module_name):
    module = importlib.import_module(module_name)
    protocol = sys.stdout
    print(json.dumps({"ready": module_name}), file=protocol, flush=True)
    for line in sys.stdin:
        code, stderr, trace = run_once(module, json.loads(line))
        print(json.dumps({"code": code, "stderr": stderr, "traceback": trace}), file=protocol, flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
