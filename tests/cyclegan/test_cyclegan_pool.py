"""The image pool: fills first, then shows stored images at the stated rate, replica-consistent."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.models.cyclegan import ImagePool, pool_query


def constant_images(values, shape=(2, 2, 1)):
    """One image per value, every pixel equal to it: the value identifies the image."""
    return np.stack([np.full(shape, v, np.float32) for v in values])


def ids(images):
    return [float(image.flat[0]) for image in np.asarray(images)]


def test_fills_first_then_swaps_by_hand():
    pool, count = tf.zeros((3, 2, 2, 1)), tf.constant(0)
    # Images 1..5; draws [swap?, slot]: the first three fill slots 0, 1, 2 whatever the draws.
    draws = tf.constant([[0.0, 0.9], [0.0, 0.9], [0.0, 0.9], [0.1, 0.5], [0.9, 0.0]])
    shown, pool, count = pool_query(pool, count, constant_images([1, 2, 3, 4, 5]), draws)
    # 4 swaps with slot floor(0.5 * 3) = 1 (shows 2, stores 4); 5 draws 0.9 >= 0.5: shown itself.
    assert ids(shown) == [1, 2, 3, 2, 5]
    assert ids(pool) == [1, 4, 3] and int(count) == 3
    # Within one batch, a later image may be shown what an earlier one just stored.
    draws = tf.constant([[0.2, 0.0], [0.3, 0.1]])
    shown, pool, count = pool_query(pool, count, constant_images([7, 8]), draws)
    assert ids(shown) == [1, 7] and ids(pool) == [8, 4, 3] and int(count) == 3


def test_swap_rate_and_provenance():
    rng = np.random.default_rng(0)
    pool, count = tf.zeros((50, 1, 1, 1)), tf.constant(0)
    history = set()
    swaps = 0
    query = tf.function(pool_query)  # the while loop runs as a graph, not op by op
    for step in range(40):
        values = 1000 * step + np.arange(50) + 1.0
        draws = tf.constant(rng.uniform(size=(50, 2)), tf.float32)
        shown, pool, count = query(pool, count, constant_images(values, (1, 1, 1)), draws)
        shown = ids(shown)
        if step == 0:
            assert shown == list(values) and int(count) == 50  # filling: every image shown as is
        else:
            swaps += sum(s != v for s, v in zip(shown, values))
        # Everything shown is the new image or one generated earlier (never an empty slot).
        assert set(shown) <= history | set(values)
        history |= set(values)
    rate = swaps / (39 * 50)
    assert abs(rate - 0.5) < 0.03, rate


def test_disabled_pool_shows_new_images():
    images = constant_images([1, 2])
    shown, pool, count = pool_query(
        tf.zeros((0, 2, 2, 1)), tf.constant(0), images, tf.zeros((2, 2))
    )
    np.testing.assert_array_equal(shown, images)
    with pytest.raises(ValueError, match="pool_size must be a non-negative integer; received -1"):
        ImagePool(-1, (2, 2, 1))


def _run_pool(strategy, batches, draws):
    """Queries an ImagePool(3) with each global batch under `strategy`; returns shown and pool."""
    with strategy.scope():
        pool = ImagePool(3, (2, 2, 1))
    replicas = strategy.num_replicas_in_sync

    @tf.function
    def query(images, draws):
        return strategy.run(pool.query, (images, draws))

    shown = []
    for batch, batch_draws in zip(batches, draws):
        rows = len(batch) // replicas
        # Replica r holds rows [r * rows, (r + 1) * rows) of the global batch, as fit splits it.
        images = strategy.experimental_distribute_values_from_function(
            lambda context: tf.constant(batch[context.replica_id_in_sync_group * rows :][:rows])
        )
        results = strategy.experimental_local_results(query(images, tf.constant(batch_draws)))
        shown.append(np.concatenate([np.asarray(r) for r in results]))
    copies = [np.asarray(c) for c in strategy.experimental_local_results(pool.images.value)]
    return shown, copies, int(pool.count.numpy())


def test_two_replicas_equal_one_device(two_replica_strategy):
    batches = [
        constant_images([1, 2]),
        constant_images([3, 4]),
        constant_images([5, 6]),
        constant_images([7, 8]),
    ]
    # 1, 2, 3 fill; 4 swaps slot 0 (shows 1); 5 swaps slot 0 (shows 4) and then replica 1's 6
    # swaps slot 0 too, so it is shown 5, which replica 0's example stored in the same step.
    draws = [
        np.zeros((2, 2)),
        np.zeros((2, 2)),
        [[0.1, 0.0], [0.2, 0.1]],
        [[0.9, 0.0], [0.1, 0.99]],
    ]
    single = _run_pool(tf.distribute.get_strategy(), batches, draws)
    double = _run_pool(two_replica_strategy, batches, draws)
    expected_shown = [[1, 2], [3, 1], [4, 5], [7, 3]]
    assert [ids(s) for s in single[0]] == expected_shown
    assert [ids(s) for s in double[0]] == expected_shown
    # Both replicas hold the same pool, equal to the one-device pool.
    assert ids(single[1][0]) == ids(double[1][0]) == ids(double[1][1]) == [6, 2, 8]
    assert single[2] == double[2] == 3
