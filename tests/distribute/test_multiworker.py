"""Two worker processes (127.0.0.1) under MultiWorkerMirroredStrategy equal one 2-device process."""

import json
import os
import socket
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(__file__)


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def start(mode, output_dir, weights_path, **env):
    return subprocess.Popen(
        [
            sys.executable,
            os.path.join(HERE, "worker_main.py"),
            mode,
            str(output_dir),
            str(weights_path),
        ],
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_workers_hold_the_weights_of_one_two_device_process(tmp_path):
    workers = [f"127.0.0.1:{port}" for port in free_ports(2)]
    processes = [
        start(
            "multiworker",
            tmp_path / "run",
            tmp_path / f"w{index}.npz",
            TF_CONFIG=json.dumps(
                {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
            ),
        )
        for index in range(2)
    ]
    # The reference in its own process too: fresh TensorFlow, same seed, global batch and data.
    processes.append(start("two_devices", tmp_path / "single", tmp_path / "single.npz"))
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output[-3000:]
    first, second, single = (
        list(np.load(tmp_path / name).values()) for name in ("w0.npz", "w1.npz", "single.npz")
    )

    assert len(first) == len(single) > 0
    for index, (a, b, reference) in enumerate(zip(first, second, single)):
        np.testing.assert_array_equal(a, b, err_msg=f"weight {index}: the workers disagree")
        np.testing.assert_allclose(
            a, reference, rtol=0, atol=1e-5, err_msg=f"weight {index}: workers vs one process"
        )
    assert (tmp_path / "run" / "model.keras").is_file()
    assert (tmp_path / "run" / "workers" / "worker-1").is_dir()
