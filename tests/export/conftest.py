"""Fixtures of the export tests: each model factory is exported once per session and shared."""

import dataclasses

import pytest
from model_factories import MODEL_FACTORIES

from keras_gans.export import export_model


@dataclasses.dataclass
class Exported:
    """One factory's model and what exporting it (both formats, float) wrote."""

    name: str
    model: object
    export_dir: str
    result: object

    @property
    def graphs(self):
        return self.model.inference_models()


@pytest.fixture(scope="session")
def export_of(tmp_path_factory):
    """`export_of(name)`: the session's export of factory `name`, made on first use."""
    cache = {}
    factories = {factory.name: factory for factory in MODEL_FACTORIES}

    def get(name):
        if name not in cache:
            model = factories[name].build()
            export_dir = str(tmp_path_factory.mktemp(f"export-{name}"))
            cache[name] = Exported(name, model, export_dir, export_model(model, export_dir))
        return cache[name]

    return get


@pytest.fixture(scope="session", params=[f.name for f in MODEL_FACTORIES])
def exported(request, export_of):
    """Every model factory's export, in turn."""
    return export_of(request.param)
