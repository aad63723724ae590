"""Reference classifiers trained once per test session into the session's classifier cache
(`classifier_cache`, tests/conftest.py)."""

import pytest

from keras_gans.metrics import classifiers


@pytest.fixture(scope="session")
def digits_reference(classifier_cache):
    return classifiers.digits_classifier(16, cache_dir=classifier_cache)


@pytest.fixture(scope="session")
def texture_reference(classifier_cache):
    return classifiers.texture_classifier(32, cache_dir=classifier_cache)
