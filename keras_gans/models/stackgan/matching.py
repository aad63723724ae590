"""Mismatched texts for the matching-aware discriminator, the same on any replica count.

Zhang et al. 2017 (https://arxiv.org/abs/1612.03242), after Reed et al. 2016: the discriminator
also sees real images with texts that do not describe them. Each example borrows the text of the
next example in the *global* batch whose text differs from its own, so the pairs are really
mismatched and do not depend on how the batch is split over replicas.
"""

import tensorflow as tf

from keras_gans.models import noise as noise_lib


def mismatched_indices(keys):
    """For each example, the index of the next example (cyclically) whose key differs.

    Args:
        keys: `[N, K]` tensor; two examples have the same text exactly when their rows are equal
            (a caption hash, or the embedding itself).

    Returns:
        `[N]` int32 indices. An example whose key equals every other key (e.g. a batch of one
        caption) gets the next example, the best that batch allows.
    """
    keys = tf.convert_to_tensor(keys)
    if keys.shape.rank != 2:
        raise ValueError(f"keys must have shape [batch, key_size]; received shape {keys.shape}.")
    count = tf.shape(keys)[0]
    same = tf.reduce_all(tf.equal(keys[:, tf.newaxis, :], keys[tf.newaxis, :, :]), axis=-1)
    # Candidates i+1, i+2, ..., i+N (mod N): the last is i itself, so the list is never empty.
    candidates = (tf.range(count)[:, tf.newaxis] + tf.range(1, count + 1)[tf.newaxis, :]) % count
    differs = tf.logical_not(tf.gather(same, candidates, batch_dims=1))
    first = tf.argmax(tf.cast(differs, tf.int32), axis=1, output_type=tf.int32)  # 0 if none differ
    return tf.gather(candidates, first, batch_dims=1)


def _all_gather(values):
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return values
    return context.all_gather(values, axis=0)


def mismatched_texts(texts, keys):
    """This replica's rows of the global batch's mismatched texts.

    Args:
        texts: `[b, E]` this replica's text embeddings (not differentiated through).
        keys: `[b, K]` this replica's text keys (see `mismatched_indices`).

    Returns:
        `[b, E]`: row i holds the text of another example of the global batch.
    """
    texts = tf.stop_gradient(texts)
    all_texts = _all_gather(texts)
    indices = mismatched_indices(_all_gather(keys))
    replica_id, _ = noise_lib.replica_position()
    per_replica = tf.shape(texts)[0]
    mine = indices[replica_id * per_replica : (replica_id + 1) * per_replica]
    return tf.gather(all_texts, mine)


def caption_keys(captions):
    """`[B, 1]` int64 keys of string captions: equal exactly for equal captions (64-bit hash)."""
    return tf.reshape(tf.strings.to_hash_bucket_fast(captions, 2**62), [-1, 1])
