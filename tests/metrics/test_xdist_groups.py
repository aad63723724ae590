"""The suite's xdist groups take effect (tests/conftest.py): tests that share a costly session
fixture run in one worker, which builds it once."""

import pytest


def test_the_group_mark_reaches_the_node_id(request, classifier_cache):
    # pytest-xdist's --dist loadgroup schedules by the `@group` suffix it adds to each node id;
    # with pytest 9 that suffix is silently lost and every worker builds every shared fixture.
    if not hasattr(request.config, "workerinput"):
        pytest.skip("not run under pytest-xdist")
    assert request.node.nodeid.endswith("@classifier_cache"), request.node.nodeid
