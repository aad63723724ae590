"""Property tests: keras-gans-export, -sample, -eval end bad input in one line, and only bad input.

Every command line (bogus paths, bad values, contradictory flags, stray arguments) must end in
exit code 0, 1 for absl's own flag error, or 2 with exactly one `keras-gans-<tool>: error: ...`
line and no traceback. Some examples also inject a runtime failure (InternalError,
ResourceExhaustedError) where the tool calls into the library: that is not bad input, so it must
keep its traceback (exit 1 under `app.run`), never become exit 2. Each entry point runs in its own
worker process (`cli_client.Worker`; absl flags are process-global), started once per module
and fed one command line per example.
"""

import json
import os
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
from cli_client import Worker  # noqa: E402
from cli_worker import INJECTED  # noqa: E402

PROPERTY = settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def check_ending(program, argv, result):
    """Exit 0, 1 (absl's flag error) or 2 (one `program: error:` line), or a fault's traceback."""
    where = f"{program} {argv}"
    if result["fault_raised"]:
        # Not bad input: the injected failure must escape `main` (app.run: traceback, exit 1).
        assert result["code"] is None and INJECTED in result["traceback"], (
            f"{where}: a runtime failure was reported as exit {result['code']}:\n{result['stderr']}"
        )
        return
    assert result["code"] is not None, f"{where} ended in:\n{result['traceback']}"
    assert "Traceback" not in result["stderr"], result["stderr"]
    if result["code"] == 1:
        assert "Flags parsing error" in result["stderr"], f"{where} exited 1:\n{result['stderr']}"
    elif result["code"] == 2:
        errors = [line for line in result["stderr"].splitlines() if "error:" in line]
        assert len(errors) == 1 and errors[0].startswith(f"{program}: error: "), (
            f"{where}: expected one error line; stderr:\n{result['stderr']}"
        )
    else:
        assert result["code"] == 0, f"{where} exited {result['code']}:\n{result['stderr']}"


def faults(target):
    """No fault (mostly) or an InternalError / ResourceExhaustedError from `module:attribute`."""
    return st.sampled_from(
        [None] * 4 + [f"{target}:InternalError", f"{target}:ResourceExhaustedError"]
    )


def flag(name, values, given=1):
    """`--name=value` for a drawn value, or the flag left out (`given` times as likely as that)."""
    drawn = values.map(lambda value: f"--{name}={value}")
    return st.one_of(st.none(), *[drawn] * given)


def command_line(*parts):
    """The drawn flags (left-out ones dropped) plus an optional stray positional argument."""
    return st.tuples(*parts, st.sampled_from([None] * 7 + ["extra"])).map(
        lambda drawn: [part for part in drawn if part is not None]
    )


JUNK = st.text(alphabet="abz:/._-0123456789", min_size=0, max_size=8)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Valid and broken inputs: a tiny trained-like run, and look-alikes that are not one."""

    from keras_gans.models import CGAN

    root = tmp_path_factory.mktemp("cli_inputs")
    run = root / "run"
    run.mkdir()
    model = CGAN.build(image_shape=(8, 8, 1), latent_dim=8, num_classes=3)
    model.compile()
    model.save(str(run / "model.keras"))
    config = {"model": "cgan", "dataset": "digits", "image_size": 8, "channels": 1, "seed": 0}
    # Evaluation folders never hold a loadable model: a real evaluation trains a classifier.
    fake_run = root / "fake_run"
    fake_run.mkdir()
    (fake_run / "model.keras").write_bytes(b"not a zip archive")
    (fake_run / "config.json").write_text(json.dumps(config))
    (fake_run / "model.onnx").write_bytes(b"\x00\x01 not a protobuf")
    for name, text in [
        ("bad_json", "{not json"),
        ("list_json", "[1, 2]"),
        ("no_model", json.dumps({})),
    ]:
        (root / name).mkdir()
        (root / name / "model.keras").write_bytes(b"not a zip archive")
        (root / name / "config.json").write_text(text)
    (root / "empty").mkdir()
    (root / "plain.txt").write_text("hello")
    (root / "image.png").write_bytes(np.zeros(8, np.uint8).tobytes())
    return root


@pytest.fixture(scope="module")
def workers(files):
    started = {}

    def get(module):
        if module not in started:
            started[module] = Worker(module, cwd=files)
        return started[module]

    yield get
    for worker in started.values():
        worker.close()


def paths(*names):
    """Placeholders `{root}/<name>` filled with the module's files, plus junk and missing ones."""
    named = st.sampled_from([f"{{root}}/{name}" for name in names])
    return st.one_of(named, named, named, st.sampled_from(["{root}/missing/x", "", "/"]), JUNK)


def fill(argv, files):
    return [part.replace("{root}", str(files)) for part in argv]


EXPORT_ARGV = command_line(
    flag(
        "run_dir", paths("run", "run", "fake_run", "empty", "plain.txt", "run/model.keras"), given=4
    ),
    flag(
        "formats",
        st.sampled_from(
            [
                "saved_model",
                "onnx",
                "saved_model,onnx",
                "tflite",
                "",
                ",",
                "onnx,onnx",
                "SAVED_MODEL",
            ]
        ),
    ),
    st.sampled_from([None, "--uint8", "--nouint8", "--uint8=maybe"]),
    flag("version", st.integers(-1, 4)),
    flag("opset", st.sampled_from(["-1", "0", "12", "17", "17", "18", "999", "x"])),
    flag("onnx_target", st.sampled_from(["cpu", "cuda", "tpu", ""])),
)


@PROPERTY
@given(argv=EXPORT_ARGV, fault=faults("keras_gans.export.run_dir:export_run"))
@example(argv=["--run_dir={root}/run"], fault="keras_gans.export.run_dir:export_run:InternalError")
def test_export_endings(argv, fault, workers, files):
    argv = fill(argv, files)
    check_ending("keras-gans-export", argv, workers("export_main").run(argv, fault))


SAMPLE_ARGV = command_line(
    flag(
        "model_path",
        paths(
            "run/model.keras",
            "run/model.keras",
            "fake_run/model.keras",
            "fake_run/model.onnx",
            "plain.txt",
            "empty",
            "run",
        ),
        given=4,
    ),
    flag(
        "output",
        st.sampled_from(
            [
                "{root}/out/grid.png",
                "{root}/grid.png",
                "{root}/empty",
                "/nonexistent/dir/g.png",
                "{root}/g.jpg",
                "",
                "{root}/plain.txt/g.png",
            ]
        ),
    ),
    flag("num_images", st.integers(-2, 40)),
    flag("labels", st.sampled_from(["0,1", "2", "a,b", "-1", "99", "", "0.5"])),
    flag("seed", st.one_of(st.integers(-3, 3), st.integers(-3, 3), st.just("x"))),
    flag("rows", st.integers(-1, 5)),
    flag("graph", st.sampled_from(["generator", "a_to_b", "", "nope"])),
    flag("device", st.sampled_from(["auto", "cpu", "cuda", "tpu"])),
)


@PROPERTY
@given(argv=SAMPLE_ARGV, fault=faults("keras_gans.export.sampler:sample_grid"))
@example(
    argv=["--model_path={root}/run/model.keras"],
    fault="keras_gans.export.sampler:sample_grid:InternalError",
)
def test_sample_endings(argv, fault, workers, files):
    argv = fill(argv, files)
    check_ending("keras-gans-sample", argv, workers("sample_main").run(argv, fault))


EVAL_ARGV = command_line(
    flag(
        "run_dir",
        paths("fake_run", "bad_json", "list_json", "no_model", "empty", "plain.txt"),
        given=2,
    ),
    flag(
        "generator",
        paths(
            "fake_run/model.onnx",
            "fake_run/model.keras",
            "list_json/model.keras",
            "plain.txt",
            "image.png",
        ),
    ),
    flag("num_samples", st.one_of(st.integers(-1, 5), st.integers(-1, 5), st.just("many"))),
    flag("seed", st.integers(-3, 3)),
    flag("cache_dir", st.sampled_from(["{root}/cache", "{root}/plain.txt", "/nonexistent/c", ""])),
)


@PROPERTY
@given(argv=EVAL_ARGV, fault=faults("keras_gans.metrics.evaluate:evaluate_run"))
# Found by this test: TypeError (an empty --run_dir counted as given), AttributeError (a
# config.json holding a list).
@example(argv=["--run_dir="], fault=None)
@example(argv=["--run_dir={root}/list_json"], fault=None)
@example(argv=["--generator={root}/list_json/model.keras"], fault=None)
@example(
    argv=["--run_dir={root}/fake_run"],
    fault="keras_gans.metrics.evaluate:evaluate_run:ResourceExhaustedError",
)
def test_eval_endings(argv, fault, workers, files):
    argv = fill(argv, files)
    check_ending("keras-gans-eval", argv, workers("eval_main").run(argv, fault))
