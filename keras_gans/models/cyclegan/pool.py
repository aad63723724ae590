"""The image pool: the discriminators see a history of generated images, not only the latest.

Shrivastava et al. 2017 (https://arxiv.org/abs/1612.07828), as CycleGAN uses it (Zhu et al. 2017,
https://arxiv.org/abs/1703.10593, section 4): a buffer of 50 generated images; while it fills, each
new image is stored and shown; once full, with probability 1/2 a random stored image is shown and
replaced by the new one, otherwise the new image is shown.

Replica consistency: the rule is sequential over the examples of a batch (a later example may be
shown the image an earlier one just stored), so every replica all-gathers the generated images of
the whole global batch, applies the rule to them in global order with the same draws, keeps its own
rows of the result and writes the same new pool into its own copy of the variables
(`ON_READ`, read from the first replica). One device and N replicas therefore hold the same pool
and show the same images to the discriminator, and no replica's rows are ever given to another.
"""

import keras
import tensorflow as tf

from keras_gans.models import noise as noise_lib


def pool_query(pool, count, images, draws, swap_probability=0.5):
    """Applies the pool rule to `images` in order; a pure function of tensors.

    Args:
        pool: `[size, H, W, C]` stored images.
        count: Scalar int32, how many slots are filled (slots `[0, count)`).
        images: `[N, H, W, C]` newly generated images.
        draws: `[N, 2]` uniform [0, 1) draws: column 0 decides a swap (`< swap_probability`),
            column 1 picks the slot (`floor(u * size)`).
        swap_probability: Chance that a full pool shows a stored image instead of the new one.

    Returns:
        `(shown [N, H, W, C], new_pool, new_count)`.
    """
    images = tf.convert_to_tensor(images)
    size = pool.shape[0]
    if size == 0:  # a disabled pool shows the new images
        return images, pool, count
    num_images = tf.shape(images)[0]

    def body(index, pool, count, shown):
        image = images[index]
        filling = count < size
        swap = tf.logical_and(tf.logical_not(filling), draws[index, 0] < swap_probability)
        random_slot = tf.minimum(tf.cast(draws[index, 1] * size, tf.int32), size - 1)
        slot = tf.where(filling, count, random_slot)
        stored = pool[slot]
        kept = tf.where(tf.logical_or(filling, swap), image, stored)
        pool = tf.tensor_scatter_nd_update(pool, [[slot]], kept[tf.newaxis])
        count = count + tf.cast(filling, count.dtype)
        return index + 1, pool, count, shown.write(index, tf.where(swap, stored, image))

    _, pool, count, shown = tf.while_loop(
        lambda index, *_: index < num_images,
        body,
        (
            tf.constant(0),
            pool,
            tf.cast(count, tf.int32),
            tf.TensorArray(images.dtype, size=num_images),
        ),
    )
    shown = shown.stack()
    shown.set_shape(images.shape)
    return shown, pool, count


@keras.saving.register_keras_serializable(package="keras_gans")
class ImagePool(keras.layers.Layer):
    """A pool of generated images kept in graph state, consistent across replicas.

    The stored images and the fill count are non-trainable variables, so they are saved in
    `.keras` files and checkpoints and resume exactly.

    Args:
        pool_size: Stored images (50 in the paper); 0 disables the pool.
        image_shape: `(H, W, C)` of the images.
        swap_probability: Chance that a full pool shows a stored image.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, pool_size=50, image_shape=(256, 256, 3), swap_probability=0.5, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 0:
            raise ValueError(f"pool_size must be a non-negative integer; received {pool_size!r}.")
        if not 0.0 <= swap_probability <= 1.0:
            raise ValueError(f"swap_probability must lie in [0, 1]; received {swap_probability!r}.")
        self.pool_size = pool_size
        self.image_shape = tuple(int(d) for d in image_shape)
        self.swap_probability = float(swap_probability)
        # ON_READ: every replica writes the same value into its own copy (no broadcast needed);
        # reads outside the replicas (saving, checkpoints) take the first replica's copy.
        variable_args = dict(
            trainable=False, synchronization="on_read", aggregation="only_first_replica"
        )
        self.images = keras.Variable(
            "zeros",
            shape=(pool_size, *self.image_shape),
            dtype="float32",
            name="images",
            **variable_args,
        )
        self.count = keras.Variable("zeros", shape=(), dtype="int32", name="count", **variable_args)
        self.built = True

    def query(self, images, draws):
        """Images to show the discriminator for this replica's `images`.

        Args:
            images: `[n, H, W, C]` generated images of this replica.
            draws: `[global_batch, 2]` uniform draws of the whole global batch, in global order.

        Returns:
            `[n, H, W, C]` images, this replica's rows of the global result.
        """
        images = tf.stop_gradient(tf.cast(images, tf.float32))
        if self.pool_size == 0:
            return images
        replica_id, num_replicas = noise_lib.replica_position()
        global_images = images
        if num_replicas > 1:
            # Replicas hold consecutive rows of the global batch, in replica order.
            global_images = tf.distribute.get_replica_context().all_gather(images, axis=0)
        shown, pool, count = pool_query(
            self.images.value, self.count.value, global_images, draws, self.swap_probability
        )
        self.images.assign(pool)
        self.count.assign(count)
        rows = tf.shape(images)[0]
        return shown[replica_id * rows : (replica_id + 1) * rows]

    def reset(self):
        """Empties the pool."""
        self.count.assign(0)
        self.images.assign(tf.zeros_like(self.images.value))

    def get_config(self):
        config = super().get_config()
        config.update(
            pool_size=self.pool_size,
            image_shape=list(self.image_shape),
            swap_probability=self.swap_probability,
        )
        return config
