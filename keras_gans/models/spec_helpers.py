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
    )


def labelled_dataset(config, num_replicas):
    """`image_dataset` whose elements carry class labels."""
    return image_dataset(config, num_replicas, with_labels=True)


def unlabelled_dataset(config, num_replicas):
    """`image_dataset` of images alone."""
    return image_dataset(config, num_replicas, with_labels=False)
