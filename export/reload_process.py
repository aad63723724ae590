"""A fresh Python process that runs SavedModel signatures: what TF Serving sees, no Keras.

The child imports only TensorFlow and numpy, then serves one request per line of its stdin: load
a SavedModel, run one signature on stored inputs, store the outputs, answer `done`. Starting it
before the exports are written lets its TensorFlow import (most of the 6.3 s a reload took on 2
cores) overlap the SavedModel and ONNX conversions, and one child serves every reload of an
export (CycleGAN's two graphs, StackGAN's extra signatures) instead of one import each.
"""

import json
import os
import select
import subprocess
import sys
import tempfile

import numpy as np

# Seconds one request may take (the first waits for the child's TensorFlow import too).
TIMEOUT_S = 600

# Each stdin line: [saved_model_dir, inputs.npz, outputs.npz, signature_key].
_SCRIPT = """
import json, sys
import numpy as np
import tensorflow as tf

for line in sys.stdin:
    model_dir, inputs_path, outputs_path, key = json.loads(line)
    signature = tf.saved_model.load(model_dir).signatures[key]
    feeds = {}
    with np.load(inputs_path) as stored:
        for name in stored.files:
            batch, input_name = name.split("__", 1)
            feeds.setdefault(batch, {})[input_name] = tf.constant(stored[name])
    outputs = {}
    for batch, feed in feeds.items():
        for name, value in signature(**feed).items():
            outputs[batch + "__" + name] = value.numpy()
    np.savez(outputs_path, **outputs)
    print("done", flush=True)
"""


class ReloadError(RuntimeError):
    """The fresh process failed to load or run a SavedModel (its stderr is in the message)."""


class SavedModelReloader:
    """One fresh process that runs SavedModel signatures; a context manager that stops it.

    Usage:
        with SavedModelReloader() as reloader:   # the child starts importing TensorFlow
            ...                                  # write the exports meanwhile
            outputs = reloader.run(folder, feeds)
    """

    def __init__(self, timeout_s=TIMEOUT_S):
        self.timeout_s = timeout_s
        self._scratch = tempfile.TemporaryDirectory(prefix="keras-gans-verify-")
        self._stderr = open(os.path.join(self._scratch.name, "stderr.txt"), "w+")
        self._requests = 0
        self._closed = False
        # CPU only, quiet: the child compares float32 results and must not grab a GPU.
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="-1")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
        )

    def run(self, saved_model_dir, feeds, signature="serving_default"):
        """Runs `signature` of the SavedModel at `saved_model_dir` in the child.

        Args:
            saved_model_dir: The SavedModel folder.
            feeds: `{batch_key: {input_name: np.ndarray}}` (string inputs as numpy `str` arrays).
            signature: The signature key, e.g. `serving_default` or StackGAN's `captions`.

        Returns:
            `{batch_key: {output_name: np.ndarray}}`.

        Raises:
            ReloadError: If the child fails, exits or takes longer than `timeout_s`.
        """
        self._requests += 1
        stem = os.path.join(self._scratch.name, str(self._requests))
        inputs_path, outputs_path = stem + "_inputs.npz", stem + "_outputs.npz"
        np.savez(
            inputs_path, **{f"{b}__{n}": a for b, feed in feeds.items() for n, a in feed.items()}
        )
        request = [os.fspath(saved_model_dir), inputs_path, outputs_path, signature]
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail(saved_model_dir, "it had exited")
        ready, _, _ = select.select([self.process.stdout], [], [], self.timeout_s)
        if not ready:
            self.process.kill()
            self._fail(saved_model_dir, f"no answer within {self.timeout_s} s")
        if self.process.stdout.readline().strip() != "done":
            self._fail(saved_model_dir, "it exited")
        results = {}
        with np.load(outputs_path) as stored:
            for key in stored.files:
                batch, name = key.split("__", 1)
                results.setdefault(batch, {})[name] = stored[key]
        return results

    def _fail(self, saved_model_dir, what):
        self._stderr.flush()
        self._stderr.seek(0)
        raise ReloadError(
            f"Reloading the SavedModel {saved_model_dir} in a fresh process failed ({what}):\n"
            f"{self._stderr.read()[-3000:]}"
        )

    def close(self):
        """Ends the child (it exits at the end of its stdin; killed if it does not) and cleans."""
        if self._closed:
            return
        self._closed = True
        if not self._requests:
            self.process.kill()  # nothing to answer: do not wait for its import
        try:
            self.process.stdin.close()
        except OSError:
            pass  # it had exited
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self._stderr.close()
        self._scratch.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
