"""`import keras_gans` turns TensorFlow's oneDNN kernels on, unless the user said otherwise.

TensorFlow's own default leaves them off on CPUs without AVX-512 VNNI or BF16, AVX-VNNI or AMX
(AVX2 CPUs among them), where its convolutions then run at about half the speed.
"""

import os
import subprocess
import sys

from tensorflow.python.util import _pywrap_util_port


def test_onednn_is_on_in_a_process_that_imported_keras_gans_first():
    # tests/conftest.py imports keras_gans before TensorFlow, as a user's script does.
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "1"
    assert _pywrap_util_port.IsMklEnabled()


def test_a_value_the_user_set_wins():
    probe = "import os, keras_gans; print(os.environ['TF_ENABLE_ONEDNN_OPTS'])"
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[-2] == "0"
