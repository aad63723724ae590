"""Two worker processes on 127.0.0.1 under MultiWorkerMirroredStrategy equal one 2-device process."""

import json
import os
import socket
import subprocess
import sys

import numpy as np

from keras_gans.training import TrainConfig, get_spec
from keras_gans.training.train import build_and_compile

HERE = os.path.dirname(__file__)


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_two_workers_hold_the_weights_of_one_two_device_process(tmp_path, two_replica_strategy):
    workers = [f"127.0.0.1:{port}" for port in free_ports(2)]
    processes = []
    for index in range(2):
        tf_config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        env = {**os.environ, "TF_CONFIG": json.dumps(tf_config), "TF_CPP_MIN_LOG_LEVEL": "3",
               "CUDA_VISIBLE_DEVICES": ""}
        processes.append(subprocess.Popen(
            [sys.executable, os.path.join(HERE, "worker_main.py"), str(tmp_path / "run"),
             str(tmp_path / f"w{index}.npz")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output[-3000:]
    worker_weights = [list(np.load(tmp_path / f"w{i}.npz").values()) for i in range(2)]

    # The same run in one process over two logical devices.
    config = TrainConfig(model="dcgan", epochs=1, steps_per_epoch=3, batch_size=16, base_filters=8,
                         export=False, verbose=0, output_dir=str(tmp_path / "single"))
    config = config.with_defaults(get_spec("dcgan").defaults)
    dataset, info = get_spec("dcgan").make_dataset(config, 2)
    model = build_and_compile(config, info, two_replica_strategy)
    model.fit(dataset.repeat(), epochs=1, steps_per_epoch=3, verbose=0)
    single = [np.asarray(w) for w in model.weights]

    # Workers agree exactly. Against one process the cross-replica sums run in another order;
    # Adam's first steps move each weight by about lr * sign(gradient), so a gradient that is
    # zero up to rounding can flip and move a weight by up to 2 * lr per step. Every other
    # element must agree within 1e-5, and no element may differ by more than that bound.
    steps, learning_rate = 3, 2e-4
    differing = total = 0
    for first, second, reference in zip(*worker_weights, single):
        np.testing.assert_array_equal(first, second)
        difference = np.abs(first - reference)
        assert np.max(difference) <= 2 * learning_rate * steps + 1e-6
        differing += int(np.sum(difference > 1e-5))
        total += difference.size
    print(f"{differing} of {total} weights differ by more than 1e-5")
    assert differing <= total * 1e-3
    assert (tmp_path / "run" / "model.keras").is_file()
    assert (tmp_path / "run" / "workers" / "worker-1").is_dir()
