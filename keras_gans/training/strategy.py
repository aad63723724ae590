"""Choosing the `tf.distribute` strategy of a run."""

import functools

import tensorflow as tf


@functools.lru_cache(maxsize=None)
def make_strategy(name):
    """Returns the strategy called `name` (`default`, `mirrored` or `multiworker`).

    One instance per name and process: two `MirroredStrategy` objects in one process reuse
    collective instance keys, and the second one's all-reduces abort.
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        # Reads the cluster from the standard TF_CONFIG environment variable.
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"strategy must be default, mirrored or multiworker; received {name!r}.")
