"""Reference classifiers trained once per test session into a temporary cache."""

import pytest

from keras_gans.metrics import classifiers


@pytest.fixture(scope="session")
def classifier_cache(tmp_path_factory):
    """A cache folder shared by the session's tests, so each classifier trains once."""
    return str(tmp_path_factory.mktemp("classifier_cache"))


@pytest.fixture(scope="session")
def digits_reference(classifier_cache):
    return classifiers.digits_classifier(16, cache_dir=classifier_cache)


@pytest.fixture(scope="session")
def texture_reference(classifier_cache):
    return classifiers.texture_classifier(32, cache_dir=classifier_cache)
