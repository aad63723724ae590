"""The `>>>` examples in the library's docstrings run, and every one of them is run here.

The rule: an example that is self-contained and cheap (a layer or a schedule on small arrays) is a
doctest; one that needs a trained model, a dataset or an exported file is a plain literal block
(`Example::`, no `>>>`), read but not run.
"""

import doctest
import importlib

import pytest
from source_tree import library_modules

DOCTEST_MODULES = (
    "keras_gans.inference",
    "keras_gans.layers.conditioning_augmentation",
    "keras_gans.layers.minibatch_std",
    "keras_gans.layers.pad_to_multiple",
    "keras_gans.layers.reflection_padding",
    "keras_gans.layers.tanh_refinement",
    "keras_gans.models.cyclegan.schedule",
)


def _modules_with_prompts():
    """The modules whose source holds a `>>>` prompt."""
    return {
        name
        for name, (path, _) in library_modules().items()
        if ">>>" in path.read_text(encoding="utf-8")
    }


def test_every_prompt_is_run():
    unrun = sorted(_modules_with_prompts() - set(DOCTEST_MODULES))
    assert not unrun, (
        f"`>>>` examples in {unrun} are not run: make them doctests listed in DOCTEST_MODULES, or "
        "plain `Example::` blocks if they need a model, data or files."
    )


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(module):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has no doctest to run"
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests of {name} failed"
