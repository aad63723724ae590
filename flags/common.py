"""Helpers shared by the absl entry points: one-line errors and exit code 2 for bad input only."""

import contextlib
import sys


def fail(program, message):
    """Prints `program: error: message` on one line to stderr and exits with code 2."""
    print(f"{program}: error: {message}", file=sys.stderr)
    sys.exit(2)


def one_line(error):
    """The first line of an error's message, without TensorFlow's `{{function_node ...}}` prefix."""
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    message = message.split("}} ")[-1].strip()
    return message.splitlines()[0] if message else type(error).__name__


def inter_op_threads(requested, strategy, gpus, jit_compile):
    """How many threads run independent TensorFlow ops at once in a training process.

    On 2 CPU cores with TensorFlow's default (one per core), the default CGAN's XLA step ran at
    16 ms in two processes and 28 ms in two others (one of them beside another job), about the
    25-29 ms of one intra-op thread; with one inter-op thread it ran at 16-19 ms in all 8
    processes tried (TF 2.21, steady epochs of 280 steps). Without XLA one thread did not help:
    the MLP CGAN's step took 29-33 ms with it and 28-42 ms without, the convolutional CGAN's
    45-64 ms with it and 37-46 ms without (three processes each). So the default is one thread
    for XLA steps on one CPU device only; several replicas or a GPU keep TensorFlow's choice
    too: their ops do run side by side.

    Args:
        requested: The `--inter_op_threads` value: None for that default, 0 for TensorFlow's
            choice, else the count.
        strategy: The run's `--strategy`.
        gpus: How many GPUs TensorFlow sees.
        jit_compile: Whether the train step is compiled with XLA.

    Returns:
        The count to set, or 0 to leave TensorFlow's choice.
    """
    if requested is not None:
        return requested
    return 1 if strategy == "default" and not gpus and jit_compile else 0


def set_inter_op_threads(requested, strategy, jit_compile):
    """Applies `inter_op_threads` to this process; returns the count in effect (0: TF's choice).

    TensorFlow takes it only before it first runs: a process where it already ran (a `main`
    called in-process, as tests do) keeps its threads.
    """
    import tensorflow as tf

    gpus = len(tf.config.list_physical_devices("GPU"))
    count = inter_op_threads(requested, strategy, gpus, jit_compile)
    if count:
        try:
            tf.config.threading.set_inter_op_parallelism_threads(count)
        except RuntimeError:
            pass  # TensorFlow is running: its thread pools exist
    return tf.config.threading.get_inter_op_parallelism_threads()


def bad_input_errors():
    """The exception types that mean bad input: the user can fix them by changing what they pass.

    ValueError is the library's word for bad input; OSError covers unreadable or unwritable
    paths. Of TensorFlow's OpErrors only those that file and decode ops raise for the user's files
    and data count: InvalidArgument (a corrupt image or record), NotFound (a missing file),
    PermissionDenied (an unreadable one) and FailedPrecondition (a folder where a file belongs).
    The rest (ResourceExhausted, Internal, Unavailable, Aborted, Unknown, collective failures)
    are the machine's or the library's fault: they keep their traceback.
    """
    import tensorflow as tf

    return (
        ValueError,
        OSError,
        tf.errors.InvalidArgumentError,
        tf.errors.NotFoundError,
        tf.errors.PermissionDeniedError,
        tf.errors.FailedPreconditionError,
    )


@contextlib.contextmanager
def user_errors(program):
    """Turns the errors bad input causes into `program: error: ...` and exit code 2.

    Only `bad_input_errors()` are caught. Anything else propagates, so `absl.app.run` prints
    its traceback and the program exits 1.
    """
    try:
        yield
    except bad_input_errors() as error:
        fail(program, one_line(error))
