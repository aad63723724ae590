"""What every source's pipeline shares: the spec grammar, batching checks, seeded shuffling.

`make_dataset` (images), `make_caption_dataset` (captions) and `make_unpaired_dataset` (two
domains) all read specs, check batch sizes and finish their pipelines with these.
"""

from __future__ import annotations

import contextlib
from typing import Optional

import tensorflow as tf
from tensorflow.python.eager import context as tf_context

from keras_gans.data.images import check_positive_int

SPEC_FORMS = "'digits', 'faces', 'tfds:NAME' (or 'tfds:NAME:SPLIT') or 'folder:PATH'"
BUNDLED_KINDS = ("digits", "faces", "textures")
# The kinds the single-image pipeline (`make_dataset`) reads.
IMAGE_KINDS = ("digits", "faces", "folder", "tfds")

# Shuffle buffer cap for streamed sources (TFDS, folders), whose decoded images would
# otherwise all be held in memory; in-memory arrays are always shuffled fully.
MAX_SHUFFLE_BUFFER = 10_000


def shuffle_buffer(num_examples: Optional[int]) -> int:
    """The shuffle buffer of a source of `num_examples` (None: unknown): all of it, up to the
    cap."""
    return min(num_examples or MAX_SHUFFLE_BUFFER, MAX_SHUFFLE_BUFFER)


def check_batching(batch_size, num_replicas, drop_remainder) -> tuple[int, int]:
    """`(batch_size, num_replicas)` checked: positive, the batch split evenly over the replicas.

    Raises:
        ValueError: If either is not a positive integer, the batch does not split evenly, or
            several replicas would get a last partial batch (`drop_remainder=False`).
    """
    batch_size = check_positive_int("batch_size", batch_size)
    num_replicas = check_positive_int("num_replicas", num_replicas)
    if batch_size % num_replicas:
        raise ValueError(
            f"global batch {batch_size} cannot be split evenly over {num_replicas} replicas; "
            f"expected a batch_size divisible by {num_replicas}."
        )
    if num_replicas > 1 and not drop_remainder:
        raise ValueError(
            f"drop_remainder must be True with num_replicas={num_replicas} (every replica "
            "needs a full share of each batch); received drop_remainder=False."
        )
    return batch_size, num_replicas


def check_batch_fits(batch_size: int, num_examples: Optional[int], source: str) -> None:
    """Raises a ValueError naming `source` when one batch needs more than its `num_examples`."""
    if num_examples is not None and batch_size > num_examples:
        raise ValueError(
            f"batch_size must be at most the number of examples in {source} "
            f"({num_examples}); received {batch_size}."
        )


@contextlib.contextmanager
def seed_alone():
    """Builds the seeded `tf.data` ops of the block as in a fresh process.

    tf.data pairs an op's `seed` with TensorFlow's process-wide seed (`tf.random.set_seed`, which
    `keras.utils.set_random_seed` and every `train` call set) when the op is built. The same
    `seed` then gave another example order in a process that had seeded TensorFlow before: a
    second `train` of one config, or a reference run inside a test session. Inside this block
    the process-wide seed reads as unset, so the order depends on `seed` alone.

    Only the stored value is swapped: `tf.random.set_seed` would also restart the op-seed
    sequence and clear the kernel cache, changing the caller's later random draws.
    """
    eager = tf_context.context()
    saved = eager._seed  # noqa: SLF001 - no public getter tells "unset" from a set seed
    eager._seed = None  # noqa: SLF001
    try:
        yield
    finally:
        eager._seed = saved  # noqa: SLF001


def finish(dataset, *, batch_size, shuffle, buffer_size, seed, repeat, drop_remainder):
    """Shuffles, batches, repeats and prefetches an unbatched dataset of element dicts."""
    if shuffle:
        with seed_alone():
            dataset = dataset.shuffle(buffer_size, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    if repeat:
        dataset = dataset.repeat()
    return dataset.prefetch(tf.data.AUTOTUNE)


def parse_any_spec(spec) -> Optional[tuple[str, str, Optional[str]]]:
    """`(kind, argument, split)` of a spec in any of the library's forms, else None.

    The one grammar of every data source: `digits`, `faces` and `textures` (bundled, no
    argument), `folder:PATH`, `folders:PATH_A,PATH_B` (two domains) and `tfds:NAME[:SPLIT]`
    (split None when not given). Each source then reads the kinds it supports (`parse_spec`).
    """
    if not isinstance(spec, str):
        return None
    if spec in BUNDLED_KINDS:
        return spec, "", None
    kind, _, rest = spec.partition(":")
    if kind == "folder" and rest:
        return "folder", rest, None
    if kind == "folders":
        paths = [path.strip() for path in rest.split(",")]
        if len(paths) == 2 and all(paths):
            return "folders", ",".join(paths), None
    if kind == "tfds" and rest:
        # Split on the first colon only: TFDS slicing ("train[:10%]") contains colons.
        name, _, split = rest.partition(":")
        if name:
            return "tfds", name, split or None
    return None


def parse_spec(
    spec,
    kinds=IMAGE_KINDS,
    forms=SPEC_FORMS,
    refusal="spec must be",
    default_split: Optional[str] = "train",
) -> tuple[str, str, Optional[str]]:
    """`(kind, argument, split)` of a spec whose kind is one of `kinds`.

    Args:
        spec: The dataset spec.
        kinds: The kinds the calling source reads (default: the single-image pipeline's).
        forms: The forms named in the error.
        refusal: The error's opening words.
        default_split: A TFDS spec's split when it names none.

    Raises:
        ValueError: `"{refusal} {forms}; received {spec!r}."` for any other spec.
    """
    parsed = parse_any_spec(spec)
    if parsed is None or parsed[0] not in kinds:
        raise ValueError(f"{refusal} {forms}; received {spec!r}.")
    kind, argument, split = parsed
    return kind, argument, split if split is not None or kind != "tfds" else default_split
