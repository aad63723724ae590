"""Input checks shared by the metric functions: clear ValueErrors naming what was received."""

import numbers

import numpy as np


def check_matrix(name, value, min_rows=1):
    """`value` as a finite float64 `[N, D]` array with at least `min_rows` rows."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] < 1 or array.shape[0] < min_rows:
        raise ValueError(
            f"{name} must be a 2-D array [N, D] with N >= {min_rows} and D >= 1; "
            f"received shape {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.isfinite(array)))
        raise ValueError(f"{name} must be finite; received {bad} NaN/inf values.")
    return array


def check_int_in(name, value, low, high):
    """`value` as an int in `[low, high]`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; received {value!r}.")
    return int(value)


def check_same_width(name_a, a, name_b, b):
    """Both arrays have the same number of columns."""
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same feature size; received {a.shape[1]} and "
            f"{b.shape[1]}."
        )
