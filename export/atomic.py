"""Exports appear whole or not at all: they are staged in a hidden sibling and renamed into place.

A rename within one file system is atomic, so TF Serving (which polls the model folder for numeric
version folders) never sees a half-written version, and a failed export leaves nothing behind.
"""

import contextlib
import os
import shutil
import uuid

STAGING_PREFIX = ".staging-"


def existing_versions(model_dir):
    """The integer versions present under `model_dir` (TF Serving's layout), sorted."""
    if not os.path.isdir(model_dir):
        return []
    return sorted(int(entry) for entry in os.listdir(model_dir) if entry.isdigit())


def next_version(export_dir, names):
    """One more than the largest version of any of `names`, so all graphs of an export share it."""
    versions = [v for name in names for v in existing_versions(os.path.join(export_dir, name))]
    return max(versions, default=0) + 1


@contextlib.contextmanager
def staging_dir(parent):
    """Yields a fresh hidden folder inside `parent`, removed on exit whatever happens.

    Staging in the destination's own folder keeps the final `os.rename` on one file system.
    """
    os.makedirs(parent, exist_ok=True)
    path = os.path.join(parent, f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}")
    os.mkdir(path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def publish(moves):
    """Renames each staged `source` to its `destination`; all or none.

    Args:
        moves: `[(source, destination)]`; every destination must not exist yet.

    Raises:
        ValueError: If a destination exists (nothing is moved then).
        OSError: If a rename fails; the ones already made are moved back first.
    """
    for _, destination in moves:
        if os.path.exists(destination):
            raise ValueError(f"{destination} already exists; an export never overwrites a version.")
    done = []
    try:
        for source, destination in moves:
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            os.rename(source, destination)
            done.append((source, destination))
    except BaseException:
        for source, destination in reversed(done):
            os.rename(destination, source)
        raise
