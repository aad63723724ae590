"""What several models' `ModelSpec`s share: the single-domain image pipeline and the image shape."""

from keras_gans import data as data_lib


def image_shape(config):
    """`(image_size, image_size, channels)` of a resolved `TrainConfig`."""
    return (config.image_size, config.image_size, config.channels)


def image_dataset(config, num_replicas, with_labels=None):
    """The batched image pipeline of `config.dataset` (single-domain models)."""
    return data_lib.make_dataset(
        config.dataset,
        image_size=config.image_size,
        channels=config.channels,
        batch_size=config.batch_size,
        num_replicas=num_replicas,
        seed=config.seed,
        with_labels=with_labels,
        resize=config.resize,
    )


def labelled_dataset(config, num_replicas):
    """`image_dataset` whose elements carry class labels."""
    return image_dataset(config, num_replicas, with_labels=True)


def unlabelled_dataset(config, num_replicas):
    """`image_dataset` of images alone."""
    return image_dataset(config, num_replicas, with_labels=False)


def tiny_batches(count=12, batch_size=4, seed=0, **shapes):
    """`count` random elements `{key: [count, *shape]}` in batches of `batch_size` (for tests).

    A shape of `(num_classes,)` under the key `labels` draws integer labels below `num_classes`;
    every other key draws float32 values uniform in [-1, 1].
    """
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    elements = {
        key: (np.arange(count) % shape[0]).astype(np.int32)
        if key == "labels"
        else rng.uniform(-1, 1, (count, *shape)).astype(np.float32)
        for key, shape in shapes.items()
    }
    return tf.data.Dataset.from_tensor_slices(elements).batch(batch_size, drop_remainder=True)
