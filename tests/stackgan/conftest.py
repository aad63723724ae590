"""StackGAN session fixtures: one tiny Stage I and Stage II, each after three SGD steps."""

import pytest
from stackgan_case import IMAGES8, IMAGES32, build_stage1, build_stage2, caption_data, run_stage


@pytest.fixture(scope="session")
def stage1_run(two_replica_strategy, tmp_path_factory):
    """A Stage I with the built-in text encoder after three SGD steps; saved."""
    path = str(tmp_path_factory.mktemp("stage1") / "stage1.keras")
    return run_stage(build_stage1, caption_data(IMAGES8), two_replica_strategy, path)


@pytest.fixture(scope="session")
def stage2_run(stage1_run, two_replica_strategy, tmp_path_factory):
    """A Stage II on the saved Stage I after three SGD steps; saved."""
    path = str(tmp_path_factory.mktemp("stage2") / "stage2.keras")
    # At lr 0.1 rounding grows too fast here: after three steps 1 vs 2 replicas differed by
    # 4.7e-2 (step 1: 1.7e-6), and a 1e-7 nudge of one device's weights by 5.8e-4. At 0.003, 1e-7.
    return run_stage(
        lambda: build_stage2(stage1_run.path),
        caption_data(IMAGES32),
        two_replica_strategy,
        path,
        learning_rate=0.003,
    )


@pytest.fixture(scope="session")
def stage2_model(stage2_run):
    return stage2_run.model
