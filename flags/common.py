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
