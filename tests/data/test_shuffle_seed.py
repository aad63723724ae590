"""The example order depends on the pipeline's `seed` alone, not on TensorFlow's global seed.

tf.data pairs a shuffle's seed with the process-wide seed; before `seed_alone` a second `train` of
one config in a process (or a test's reference run) read other batches than a fresh process.
"""

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.eager import context as tf_context

from keras_gans.data import dataset_from_arrays
from keras_gans.data.captions import make_caption_dataset


@pytest.fixture(autouse=True)
def restore_global_seed():
    saved = tf_context.global_seed()
    yield
    tf.random.set_seed(saved)


def epochs_of(dataset, count=2):
    """The examples' ids in order, over `count` passes (re-iterating reshuffles)."""
    return [
        np.concatenate([b["images"][:, 0, 0, 0] for b in dataset.as_numpy_iterator()])
        for _ in range(count)
    ]


def arrays_dataset(seed=0):
    ids = np.arange(32, dtype=np.float32).reshape(32, 1, 1, 1)
    return dataset_from_arrays(ids, batch_size=8, seed=seed)


@pytest.mark.parametrize("global_seed", [None, 0, 1234])
def test_order_ignores_the_global_seed(global_seed):
    reference = epochs_of(arrays_dataset())
    tf.random.set_seed(global_seed)
    again = epochs_of(arrays_dataset())
    np.testing.assert_array_equal(again, reference)


def test_seed_still_decides_and_epochs_still_reshuffle():
    first, second = epochs_of(arrays_dataset(seed=0))
    other, _ = epochs_of(arrays_dataset(seed=1))
    assert sorted(first) == list(range(32))
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, other)


def test_caption_pairs_ignore_the_global_seed():
    def first_batch():
        dataset, _ = make_caption_dataset("digits", image_size=8, channels=1, batch_size=16)
        return next(iter(dataset))["captions"].numpy()

    reference = first_batch()
    tf.random.set_seed(99)
    np.testing.assert_array_equal(first_batch(), reference)


def test_the_callers_random_draws_are_untouched():
    tf.random.set_seed(5)
    expected = tf.random.uniform([3]).numpy(), tf.random.uniform([3]).numpy()
    tf.random.set_seed(5)
    first = tf.random.uniform([3]).numpy()
    arrays_dataset()
    second = tf.random.uniform([3]).numpy()
    np.testing.assert_array_equal(first, expected[0])
    np.testing.assert_array_equal(second, expected[1])
    assert tf_context.global_seed() == 5


def test_unpaired_crops_ignore_the_global_seed():
    from keras_gans.data.unpaired import unpaired_from_arrays

    rng = np.random.default_rng(0)
    photos_a = rng.uniform(-1, 1, (3, 24, 24, 1)).astype(np.float32)
    photos_b = rng.uniform(-1, 1, (2, 24, 24, 1)).astype(np.float32)

    def batches():
        dataset = unpaired_from_arrays(photos_a, photos_b, image_size=8, batch_size=4, seed=3)
        return [b for _, b in zip(range(2), dataset.as_numpy_iterator())]

    reference = batches()
    tf.random.set_seed(99)
    again = batches()
    for first, second in zip(reference, again):
        for key in first:
            np.testing.assert_array_equal(first[key], second[key])
