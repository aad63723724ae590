"""Helpers shared by the absl entry points: one-line errors and exit code 2 for bad input."""

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


@contextlib.contextmanager
def user_errors(program):
    """Turns the errors bad input causes into `program: error: ...` and exit code 2.

    ValueError is the library's word for bad input; OSError covers unreadable or unwritable
    paths; TensorFlow's OpError covers data that fails inside a pipeline. Anything else is a bug
    and keeps its traceback.
    """
    import tensorflow as tf

    try:
        yield
    except (ValueError, OSError, tf.errors.OpError) as error:
        fail(program, one_line(error))
