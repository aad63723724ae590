"""Session fixtures of the StackGAN tests: a tiny Stage I and a Stage II on its saved file."""

import pytest
from stackgan_case import IMAGES8, IMAGES32, build_stage1, build_stage2, caption_data, run_stage


@pytest.fixture(scope="session")
def stage1_run(tmp_path_factory):
    """A Stage I with the built-in text encoder after three SGD steps; saved."""
    path = str(tmp_path_factory.mktemp("stage1") / "stage1.keras")
    return run_stage(build_stage1, caption_data(IMAGES8), path)


@pytest.fixture(scope="session")
def stage2_run(stage1_run, tmp_path_factory):
    """A Stage II on the saved Stage I after three SGD steps; saved."""
    path = str(tmp_path_factory.mktemp("stage2") / "stage2.keras")
    return run_stage(
        lambda: build_stage2(stage1_run.path), caption_data(IMAGES32), path, learning_rate=0.003
    )


@pytest.fixture(scope="session")
def stage2_model(stage2_run):
    return stage2_run.model
