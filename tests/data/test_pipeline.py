"""Tests for keras_gans.data.pipeline (on the digits source: fast and download-free)."""

import re

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import dataset_from_arrays, make_dataset, validate_labels
from keras_gans.data.digits import digits_parts


def _labels_of(dataset):
    return np.concatenate([b["labels"] for b in dataset.as_numpy_iterator()])


def test_digits_batches_and_info():
    dataset, info = make_dataset("digits", image_size=8, channels=1, batch_size=32)
    assert (info.num_examples, info.num_classes, info.image_size, info.channels) == (896, 10, 8, 1)
    assert dataset.element_spec == {
        "images": tf.TensorSpec([32, 8, 8, 1], tf.float32),
        "labels": tf.TensorSpec([32], tf.int32),
    }


def test_digits_rgb_copies_grey():
    dataset, _ = make_dataset("digits", image_size=16, channels=3, batch_size=8)
    images = next(iter(dataset))["images"].numpy()
    assert images.shape == (8, 16, 16, 3)
    np.testing.assert_array_equal(images[..., 0], images[..., 2])


@pytest.mark.parametrize("spec", ["mnist", "tfds:", "folder:", "digits:8", "", 42, None])
def test_unknown_spec_form(spec):
    message = (
        "spec must be 'digits', 'faces', 'tfds:NAME' (or 'tfds:NAME:SPLIT') or 'folder:PATH'; "
        f"received {spec!r}"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        make_dataset(spec, image_size=8, channels=1, batch_size=2)


def test_batch_not_divisible_by_replicas():
    with pytest.raises(ValueError, match="global batch 10 cannot be split evenly over 4 replicas"):
        make_dataset("digits", image_size=8, channels=1, batch_size=10, num_replicas=4)


def test_batch_larger_than_data():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "batch_size must be at most the number of examples in 'digits' (896); received 2000"
        ),
    ):
        make_dataset("digits", image_size=8, channels=1, batch_size=2000)


def test_image_size_too_small():
    with pytest.raises(ValueError, match="image_size must be an integer >= 8; received 4"):
        make_dataset("digits", image_size=4, channels=1, batch_size=2)


def test_bad_channels_and_batch_size():
    with pytest.raises(ValueError, match="channels must be 1 or 3; received 4"):
        make_dataset("digits", image_size=8, channels=4, batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; received 0"):
        make_dataset("digits", image_size=8, channels=1, batch_size=0)


def test_validate_labels_out_of_range():
    message = re.escape("labels must lie in [0, 10); received min -1, max 12")
    with pytest.raises(ValueError, match=message):
        validate_labels(np.array([-1, 3, 12]), 10)
    with pytest.raises(ValueError, match=message):
        validate_labels(tf.constant([3, 12, -1]), 10)
    with pytest.raises(
        ValueError, match=re.escape("labels must lie in [0, 3); received min 0, max 3")
    ):
        dataset_from_arrays(
            np.zeros([4, 8, 8, 1]), np.array([0, 1, 2, 3]), num_classes=3, batch_size=2
        )


def test_validate_labels_accepts_and_converts():
    out = validate_labels(tf.constant([0, 9], tf.int64), 10)
    assert out.dtype == np.int32 and out.tolist() == [0, 9]
    with pytest.raises(ValueError, match="labels must be integers; received dtype float32"):
        validate_labels(np.array([0.0, 1.0], np.float32), 10)


def test_drop_remainder_every_batch_full():
    # The train half: 896 = 3 * 256 + 128, the 128 left over are dropped.
    dataset, _ = make_dataset("digits", image_size=8, channels=1, batch_size=256)
    batches = list(dataset.as_numpy_iterator())
    assert len(batches) == 3
    assert all(b["images"].shape[0] == 256 and b["labels"].shape[0] == 256 for b in batches)


def test_keep_remainder_only_with_one_replica():
    dataset, _ = make_dataset(
        "digits", image_size=8, channels=1, batch_size=256, drop_remainder=False
    )
    assert [len(b) for b in _batch_sizes(dataset)] == [256] * 3 + [128]
    with pytest.raises(ValueError, match="drop_remainder must be True with num_replicas=2"):
        make_dataset(
            "digits", image_size=8, channels=1, batch_size=256, num_replicas=2, drop_remainder=False
        )


def _batch_sizes(dataset):
    return [b["labels"] for b in dataset.as_numpy_iterator()]


def test_shuffle_is_deterministic_per_seed():
    def first_epoch(seed):
        dataset, _ = make_dataset("digits", image_size=8, channels=1, batch_size=128, seed=seed)
        return _labels_of(dataset)

    np.testing.assert_array_equal(first_epoch(1), first_epoch(1))
    assert not np.array_equal(first_epoch(1), first_epoch(2))


def test_reshuffles_each_epoch_and_unshuffled_keeps_order():
    dataset, _ = make_dataset("digits", image_size=8, channels=1, batch_size=128, seed=0)
    assert not np.array_equal(_labels_of(dataset), _labels_of(dataset))
    ordered, _ = make_dataset("digits", image_size=8, channels=1, batch_size=128, shuffle=False)
    _, labels = digits_parts(8)["train"]
    np.testing.assert_array_equal(_labels_of(ordered), labels[: 7 * 128])


def test_repeat_goes_past_one_epoch():
    dataset, _ = make_dataset("digits", image_size=8, channels=1, batch_size=512, repeat=True)
    assert len(list(dataset.take(10))) == 10  # one epoch has only 1 full batch


def test_with_labels_false_drops_labels():
    dataset, info = make_dataset(
        "digits", image_size=8, channels=1, batch_size=4, with_labels=False
    )
    assert set(dataset.element_spec) == {"images"}
    assert info.num_classes is None


def test_splits_over_two_replicas(two_replica_strategy):
    dataset, _ = make_dataset("digits", image_size=8, channels=1, batch_size=8, num_replicas=2)
    batch = next(iter(two_replica_strategy.experimental_distribute_dataset(dataset)))
    shards = two_replica_strategy.experimental_local_results(batch["images"])
    assert [s.shape[0] for s in shards] == [4, 4]
