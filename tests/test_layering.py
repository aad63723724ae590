"""The layering of the library, read from the source with `ast` (nothing is imported).

Layers, bottom to top:

- core: `keras_gans.{models,data,layers,losses,metrics}` and the top-level helper modules
  `keras_gans.{images,inference,interpolation,run_files,registry}` (image grids, PNGs and GIFs,
  the numpy-only inference helpers and latent walks, run-directory files, the model registry).
  None of them reads a config or writes an export, so they sit with the core.
- training: `keras_gans.training`, which orchestrates the core and may call the export layer.
- edge: `keras_gans.export` (source in `export/`) and `keras_gans.flags` (source in `flags/`).

The package itself (`keras_gans/__init__.py`) is the public face, not core: it may name any
layer. It offers `export_model` lazily and plugs training and export into the core's extension
points (`keras_gans.registry.plug`): `Model.from_preset` builds through training and
`evaluate_run` loads exported generators through export without the core importing either.

Every import counts, including those inside functions (a lazy import is still a dependency) and
`importlib.import_module` with a literal name. An import edge goes to the module imported:
`from pkg import name` reaches `pkg.name` when that is a module, else `pkg`. The parent packages
Python runs first are not edges, so a package's `__init__` importing its own submodules is no
cycle.
"""

import ast

import pytest
from source_tree import library_modules

CORE = tuple(
    f"keras_gans.{name}"
    for name in (
        "models",
        "data",
        "layers",
        "losses",
        "metrics",
        "images",
        "inference",
        "interpolation",
        "run_files",
        "registry",
    )
)
ABOVE_CORE = ("keras_gans.training", "keras_gans.export", "keras_gans.flags")


def _resolve(name, modules):
    """The deepest module of the library that `name` (a module or `module.attribute`) names."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported_names(tree, module, is_package):
    """Yield `(line, dotted name)` for each name an import in `tree` brings in."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def import_graph():
    """`{module: {imported module: first line}}` over the library's own modules."""
    modules = library_modules()
    graph = {}
    for module, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = graph.setdefault(module, {})
        for line, name in _imported_names(tree, module, is_package):
            target = _resolve(name, modules)
            if target and target != module:
                edges.setdefault(target, line)
    return graph


def _in(module, packages):
    return any(module == p or module.startswith(p + ".") for p in packages)


def layering_violations(graph):
    """`"module:line imports target"` for each core module importing a layer above the core."""
    return sorted(
        f"{module}:{line} imports {target}"
        for module, edges in graph.items()
        if _in(module, CORE)
        for target, line in edges.items()
        if _in(target, ABOVE_CORE)
    )


def package_graph(graph):
    """`graph` collapsed to the packages and top-level modules (`keras_gans.models`, ...)."""

    def package(module):
        return ".".join(module.split(".")[:2])

    packages = {}
    for module, edges in graph.items():
        outgoing = packages.setdefault(package(module), {})
        for target, line in edges.items():
            if package(target) != package(module):
                outgoing.setdefault(package(target), f"{module}:{line}")
    return packages


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    state = {}  # module -> "open" while on the stack, "done" after

    def visit(module, stack):
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = visit(target, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [])
            if cycle:
                return cycle
    return None


def test_graph_sees_every_kind_of_import():
    # The walker itself: relative, absolute, lazy and import_module edges are all seen.
    graph = import_graph()
    assert "keras_gans.export.exporter" in graph["keras_gans"]  # import_module("...")
    assert "keras_gans.models.base" in graph["keras_gans.models"]  # from ... import Name
    assert "keras_gans.training.train" in graph["keras_gans.flags.train"]  # across package_dir
    assert len(graph) > 100


def test_relative_and_lazy_imports_resolve():
    source = "from . import a\nfrom ..b import c\ndef f():\n    import d.e as g\n"
    names = [name for _, name in _imported_names(ast.parse(source), "p.q.m", False)]
    assert names == ["p.q.a", "p.b.c", "d.e"]
    # In a package's __init__ the anchor is the package itself.
    names = [name for _, name in _imported_names(ast.parse("from . import a"), "p.q", True)]
    assert names == ["p.q.a"]


def test_core_never_imports_training_export_or_flags():
    violations = layering_violations(import_graph())
    assert not violations, "core modules import a layer above the core:\n" + "\n".join(violations)


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_import_cycles_between_packages():
    # Stricter than modules: e.g. models -> training -> export -> models is a cycle of layers even
    # when no single module closes it.
    packages = package_graph(import_graph())
    cycle = find_cycle(packages)
    assert cycle is None, (
        "package import cycle: "
        + " -> ".join(f"{a} ({packages[a][b]})" for a, b in zip(cycle, cycle[1:]))
        + f" -> {cycle[-1]}"
    )


def test_cycle_finder_reports_the_path():
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"b": 1}, "d": {}}
    assert find_cycle(graph) == ["b", "c", "b"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None


def test_the_package_plugs_every_extension_point(monkeypatch):
    import keras_gans  # noqa: F401  (importing it plugs the library's own)
    from keras_gans import registry

    for name in registry.EXTENSION_POINTS:
        assert callable(registry.plugged(name))
    monkeypatch.delitem(registry._PLUGGED, "load_generator")
    with pytest.raises(RuntimeError, match="Nothing is plugged into 'load_generator'"):
        registry.plugged("load_generator")
    with pytest.raises(ValueError, match="Unknown extension point 'nope'"):
        registry.plug("nope", print)
