"""Formatting shared by the renderers of docs/results.md: numbers, tables, conditions.

Standard library only.
"""

import math
import os

# Links in docs/results.md are relative to docs/.
RESULTS_LINK = "../benchmarks/results"

# Keys that describe the conditions of a measurement rather than a figure of it.
CONDITION_KEYS = (
    "date",
    "device",
    "machine",
    "cpu_count",
    "load_average_before_after",
    "tensorflow",
    "keras",
    "onnxruntime",
    "torch",
)


def fmt(value):
    """One fixed text form per value: 4 significant digits, thousands grouped, no float noise."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "-"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == 0:
            return "0"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def pair(generated, real):
    """`generated / real`, or `-` when the figure is missing."""
    if generated is None:
        return "-"
    return f"{fmt(generated)} / {fmt(real)}"


class RaggedTableError(RuntimeError):
    """A renderer built a row with another number of cells than its header. Not one of the
    errors `make_results.section` reads as an unknown file layout, so it stops the render
    instead of falling back to the generic table."""


def table(header, rows):
    """A Markdown table; numeric columns (all but the first) right-aligned.

    Raises:
        RaggedTableError: If a row's length differs from the header's.
    """
    rows = [tuple(row) for row in rows]
    for index, row in enumerate(rows):
        if len(row) != len(header):
            raise RaggedTableError(
                f"row {index} has {len(row)} cells for {len(header)} columns {header}: {row}"
            )
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += [
        "| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in row) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def flatten(value, prefix=""):
    """(dotted key, leaf) pairs of nested dicts; lists of scalars stay whole."""
    if isinstance(value, dict):
        out = []
        for key in sorted(value, key=str):
            out += flatten(value[key], f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = []
        for index, item in enumerate(value):
            out += flatten(item, f"{prefix}[{index}]")
        return out
    if isinstance(value, list) and len(value) > 8:
        return [(prefix, f"{len(value)} values, first {fmt(value[0])}, last {fmt(value[-1])}")]
    return [(prefix, value)]


def conditions(data):
    """One line naming the machine, its load and the date, from whatever the file recorded."""
    parts = []
    for key in CONDITION_KEYS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, dict):
            value = ", ".join(
                f"{k} {fmt(v)}" for k, v in sorted(value.items()) if v not in ("", None)
            )
        elif key == "load_average_before_after":
            key, value = "load_average", f"{fmt(value[0])} before, {fmt(value[-1])} after"
        parts.append(f"{key.replace('_', ' ')}: {fmt(value)}")
    return "Recorded conditions: " + "; ".join(parts) + "." if parts else "No conditions recorded."


def generic(data):
    """Any JSON: one row per leaf."""
    return table(["key", "value"], [(f"`{k}`", fmt(v)) for k, v in flatten(data)])


def image(name, alt, results_dir):
    path = os.path.join(results_dir, name)
    return f"![{alt}]({RESULTS_LINK}/{name})" if os.path.exists(path) else ""
