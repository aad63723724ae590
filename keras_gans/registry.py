"""The model registry: one `ModelSpec` per model, registered in the model's own folder.

`keras_gans/models/<name>/__init__.py` calls `register_model(SPEC)`; training (`train`, the CLI's
`--model` and `--preset`), evaluation (`evaluate_run`) and the shared tests read this registry
instead of listing models. A new model is one folder plus one import line in
`keras_gans/models/__init__.py` (or, outside the package, one `register_model` call).

This module imports nothing of the library, so any layer may import it without a cycle. It also
holds the core's extension points (`plug`, `plugged`): what the core asks of the layers above it
(training builds a preset, export loads an exported generator) without importing them.
"""

import dataclasses
from typing import Callable, Mapping, Optional


@dataclasses.dataclass(frozen=True)
class TinyModel:
    """A tiny instance of a model, which the shared tests train, save, distribute and export.

    Attributes:
        build: `(**build_overrides) -> model`, built and uncompiled; the same weights after the
            same `keras.utils.set_random_seed`. Overrides are `build` arguments such as `augment`.
        dataset: `() -> tf.data.Dataset` of 3 global batches of the model's elements, each batch
            splitting evenly over 2 replicas.
        variant: Names this instance among its model's (test ids); "" for a model's only one.
        replica_learning_rate: SGD learning rate of the 1-vs-2 replica check: large enough that a
            wrong gradient scale shows, small enough that rounding does not grow over 3 steps.
    """

    build: Callable
    dataset: Callable
    variant: str = ""
    replica_learning_rate: float = 0.1


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """Everything the library needs to know of one model, besides its class.

    Attributes:
        name: The model's name (`--model`, `config.json`'s "model").
        model_class: The training model's class (`from_preset` checks it).
        presets: `{preset name: {TrainConfig field: value}}`, the first being the default preset
            (what `--model=<name>` alone trains and what `model_class.build()` builds). Preset names
            are unique across models: `--preset=NAME` alone picks the model.
        build: `(config, dataset_info) -> model` from a resolved `TrainConfig`, called inside the
            strategy scope.
        make_dataset: `(config, num_replicas) -> (tf.data.Dataset, DatasetInfo)`.
        options: `TrainConfig` fields only some models read that this one does (e.g.
            `base_filters`): setting another model's option is a contradiction.
        learning_rate: Optional `(config, steps_per_epoch) -> float or LearningRateSchedule` of
            both optimizers, keyed to the optimizer's step. Default the constant
            `config.learning_rate`.
        evaluator: Name of the evaluator its runs are scored with
            (`keras_gans.metrics.register_evaluator`), or None: runs are not evaluated.
        tiny_models: `TinyModel`s the shared tests (tests/test_every_model.py, the export
            tests) run over; the first is the one exported. Empty keeps the model out of them.
    """

    name: str
    model_class: type
    presets: Mapping[str, dict]
    build: Callable
    make_dataset: Callable
    options: tuple = ()
    learning_rate: Optional[Callable] = None
    evaluator: Optional[str] = None
    tiny_models: tuple = ()

    def __post_init__(self):
        if not self.presets:
            raise ValueError(f"Model {self.name!r} needs at least one preset; received none.")

    @property
    def default_preset(self):
        """Name of the default preset (the first)."""
        return next(iter(self.presets))

    @property
    def defaults(self):
        """The default preset's values."""
        return self.presets[self.default_preset]

    def preset(self, name=None):
        """The values of preset `name` (default: the default preset); a ValueError lists them."""
        name = self.default_preset if name is None else name
        if name not in self.presets:
            raise ValueError(
                f"Unknown preset {name!r} of model {self.name}; expected one of "
                f"{', '.join(self.presets)}."
            )
        return self.presets[name]


_SPECS: dict = {}


def register_model(spec):
    """Registers `spec` under `spec.name`; returns it.

    Raises:
        ValueError: If another spec has that name or one of its preset names.
    """
    if spec.name in _SPECS and _SPECS[spec.name] is not spec:
        raise ValueError(f"A model named {spec.name!r} is already registered.")
    for other in _SPECS.values():
        if other is not spec and other.name != spec.name:
            shared = set(other.presets) & set(spec.presets)
            if shared:
                raise ValueError(
                    f"Preset name(s) {', '.join(sorted(shared))} of {spec.name!r} are already "
                    f"presets of {other.name!r}; preset names must be unique."
                )
    _SPECS[spec.name] = spec
    return spec


def unregister_model(name):
    """Removes the model `name` (tests that register a model of their own clean up with it)."""
    _SPECS.pop(name, None)


def model_names():
    """The registered models' names, in registration order."""
    return tuple(_SPECS)


def specs():
    """The registered `ModelSpec`s, in registration order."""
    return tuple(_SPECS.values())


def get_spec(name):
    """The `ModelSpec` of model `name`; a ValueError lists the known models."""
    if name not in _SPECS:
        raise ValueError(f"Unknown model {name!r}; expected one of {', '.join(_SPECS)}.")
    return _SPECS[name]


def preset_names():
    """Every registered preset's name."""
    return tuple(name for spec in _SPECS.values() for name in spec.presets)


def spec_of_preset(preset):
    """The `ModelSpec` that owns preset `preset`; a ValueError lists the known presets."""
    for spec in _SPECS.values():
        if preset in spec.presets:
            return spec
    raise ValueError(f"Unknown preset {preset!r}; expected one of {', '.join(preset_names())}.")


def model_options():
    """`{option: (models that read it)}` over every registered model."""
    options = {}
    for spec in _SPECS.values():
        for option in spec.options:
            options.setdefault(option, ())
            options[option] += (spec.name,)
    return options


# -- Extension points ----------------------------------------------------------------------------
#: What the core asks of the layers above it, by name: the core calls `plugged(name)`, and the
#: package's `__init__` plugs the library's own (tests: tests/test_layering.py).
EXTENSION_POINTS = {
    "build_preset": "(preset, info=None, **overrides) -> the compiled model "
    "(keras_gans.training.build_preset; Model.from_preset calls it)",
    "load_generator": "(path) -> an exported generator offering generate(...) "
    "(keras_gans.export.load_generator; evaluate_run calls it on exported generators)",
}
_PLUGGED: dict = {}


def _check_extension_point(name):
    if name not in EXTENSION_POINTS:
        raise ValueError(
            f"Unknown extension point {name!r}; expected one of {', '.join(EXTENSION_POINTS)}."
        )


def plug(name, fn):
    """Plugs `fn` into the extension point `name`, replacing what was plugged; returns `fn`."""
    _check_extension_point(name)
    _PLUGGED[name] = fn
    return fn


def plugged(name):
    """The function plugged into the extension point `name`.

    Raises:
        ValueError: If `name` is no extension point.
        RuntimeError: If nothing is plugged into it (`import keras_gans` plugs the library's own).
    """
    _check_extension_point(name)
    if name not in _PLUGGED:
        raise RuntimeError(
            f"Nothing is plugged into {name!r}: {EXTENSION_POINTS[name]}; `import keras_gans` "
            "plugs the library's own."
        )
    return _PLUGGED[name]
