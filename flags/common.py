"""Helpers shared by the absl entry points: one-line errors and exit code 2 for bad input."""

import sys


def fail(program, message):
    """Prints `program: error: message` on one line to stderr and exits with code 2."""
    print(f"{program}: error: {message}", file=sys.stderr)
    sys.exit(2)
