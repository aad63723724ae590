"""Command-line tools run many times without a TensorFlow start-up each: `CliWorkers`.

Each entry point gets one `flags/cli_worker.py` process (absl flags are process-global), started
on first use and fed one command line per call; it parses the flags as `app.run` does (absl's
usage error exits 1), calls `main`, and reports how it ended. Tests that need absl's real
`app.run` (its printed traceback and exit status) still start the tool as its own process.
"""

import json
import os
import select
import subprocess
import sys

HERE = os.path.dirname(__file__)
WORKER = os.path.join(HERE, "flags", "cli_worker.py")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
# Seconds one command line may take (a valid export converts to ONNX and checks parity).
PER_CALL_TIMEOUT = 120


class Worker:
    """One entry point's worker: `run(argv)` returns its `{"code", "stdout", "stderr",
    "traceback", "fault_raised"}`; `code` is None when an exception escaped `main`."""

    def __init__(self, module, cwd=None):
        self.module = module
        self.process = subprocess.Popen(
            [sys.executable, WORKER, f"keras_gans.flags.{module}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=ENV,
            cwd=cwd,  # e.g. keras-gans-sample's default --output=grid.png lands in cwd
        )
        assert "ready" in self._reply(), f"{module} worker did not start"

    def _reply(self):
        ready, _, _ = select.select([self.process.stdout], [], [], PER_CALL_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise AssertionError(f"{self.module} worker gave no answer (hung or died)")
        return json.loads(line)

    def run(self, argv, fault=None, env=None):
        """`env`: environment variables set for this command line only."""
        request = {"argv": [self.module, *argv], "fault": fault, "env": env}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self):
        self.process.kill()
        self.process.wait()


class CliWorkers:
    """`run(module, argv)`: one `Worker` per entry point module, started on first use."""

    def __init__(self, cwd=None):
        self.cwd = cwd
        self.workers = {}

    def run(self, module, argv, fault=None, env=None):
        if module not in self.workers:
            self.workers[module] = Worker(module, self.cwd)
        return self.workers[module].run([str(a) for a in argv], fault, env)

    def close(self):
        for worker in self.workers.values():
            worker.close()


def one_error_line(result, program):
    """The single `program: error: ...` line of an exit-2 ending (asserting there is exactly
    one, and no traceback)."""
    assert result["code"] == 2, result
    assert "Traceback" not in result["stderr"], result["stderr"]
    errors = [line for line in result["stderr"].splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{program}: error: "), result["stderr"]
    return errors[0]
