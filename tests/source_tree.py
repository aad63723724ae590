"""The library's source files and the module names they install as, read without importing."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Source folder -> the package it installs as (setup.py's package_dir).
SOURCES = {"keras_gans": "keras_gans", "export": "keras_gans.export", "flags": "keras_gans.flags"}


def library_modules():
    """`{module name: (path, is_package)}` of every source file of the library."""
    modules = {}
    for folder, package in SOURCES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            modules[".".join([package, *parts])] = (path, is_package)
    return modules
