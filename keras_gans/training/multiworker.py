"""Several machines through `MultiWorkerMirroredStrategy` (cluster from the `TF_CONFIG`
variable)."""

import os

import tensorflow as tf


def num_workers(strategy):
    """How many worker processes take part (1 for every single-process strategy)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return 1
    return len(resolver.cluster_spec().as_dict().get("worker", [])) + len(
        resolver.cluster_spec().as_dict().get("chief", [])
    )


def is_chief(strategy):
    """The chief (or worker 0 when there is no chief) owns the run folder."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or resolver.task_type in (None, "chief"):
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief


def worker_output_dir(output_dir, strategy):
    """The run folder for the chief; other workers write beside it, in `workers/<task>`.

    Every worker must take part in saving (variables are read collectively), but only the
    chief's files are the run's.
    """
    if is_chief(strategy):
        return output_dir
    resolver = strategy.cluster_resolver
    return os.path.join(output_dir, "workers", f"{resolver.task_type}-{resolver.task_id}")


def distribute_global_batches(dataset, strategy, global_batch):
    """Gives replica r rows [r*b, (r+1)*b) of each global batch, as one machine would.

    TensorFlow's auto-sharding hands workers interleaved examples, which would pair examples
    with other noise than on one machine. Every worker reads the same seeded global batches and
    keeps its own replicas' rows, in replica order, so N machines compute the one-machine update.
    """
    replicas = strategy.num_replicas_in_sync
    if global_batch % replicas:
        raise ValueError(
            f"global batch {global_batch} cannot be split evenly over {replicas} replicas."
        )
    per_replica = global_batch // replicas

    def worker_dataset(context):
        local = replicas // context.num_input_pipelines
        first = context.input_pipeline_id * local * per_replica

        def rows(element):
            return tf.nest.map_structure(lambda t: t[first : first + local * per_replica], element)

        return dataset.map(rows).unbatch().batch(per_replica, drop_remainder=True)

    options = tf.distribute.InputOptions(experimental_fetch_to_device=True)
    return strategy.distribute_datasets_from_function(worker_dataset, options)
