"""`serving_png` and `serving_image_bytes`: PNG bytes out (and in), served by TensorFlow alone.

One fresh process that imports only TensorFlow and numpy (TF Serving's situation) calls every
signature of three exports (GAN, CGAN, CycleGAN's `a_to_b`) shared with the other export tests.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_gans.export import image_bytes, signatures
from keras_gans.export.metadata import read_saved_model_metadata
from keras_gans.export.parity import _to_uint8

# argv = cases.json inputs.npz outputs.npz; prints a JSON summary.
_SERVE_SCRIPT = """
import json, sys
import numpy as np
import tensorflow as tf

cases_path, inputs_path, outputs_path = sys.argv[1:4]
stored = np.load(inputs_path)
outputs, summary = {}, {}


def decode(strings):
    return np.stack([tf.io.decode_png(s).numpy() for s in strings.numpy()])


def encode(images):
    return tf.constant([tf.io.encode_png(image).numpy() for image in images])


for case in json.load(open(cases_path)):
    name, loaded = case["name"], tf.saved_model.load(case["path"])
    feed = {k.split("__")[1]: tf.constant(stored[k]) for k in stored.files
            if k.startswith(name + "__") and not k.endswith("__uint8") and "__odd" not in k}
    specs = {}
    for key, signature in loaded.signatures.items():
        specs[key] = [{n: [s.dtype.name, s.shape.as_list()] for n, s in tensors.items()}
                      for tensors in (signature.structured_input_signature[1],
                                      signature.structured_outputs)]
    summary[name] = {"specs": specs}
    outputs[name + "__float"] = loaded.signatures["serving_default"](**feed)["images"].numpy()
    outputs[name + "__png"] = decode(loaded.signatures["serving_png"](**feed)["images_bytes"])
    image = case.get("image_input")
    if image:
        from_bytes = loaded.signatures["serving_image_bytes"]
        for part in ("uint8", "odd"):
            strings = encode(stored[f"{name}__{image}__{part}"])
            outputs[f"{name}__from_{part}"] = decode(from_bytes(**{image + "_bytes": strings})[
                "images_bytes"])
        try:
            from_bytes(**{image + "_bytes": tf.constant([b"no image at all"])})
            summary[name]["bad_bytes"] = None
        except tf.errors.OpError as error:
            summary[name]["bad_bytes"] = [type(error).__name__, error.message]
summary["keras_gans_imported"] = any(m.startswith("keras_gans") for m in sys.modules)
np.savez(outputs_path, **outputs)
print(json.dumps(summary))
"""

IMAGES_BYTES = {"images_bytes": ["string", [None]]}


def _feeds(rng):
    """Inputs of each case: the signature's own, plus uint8 images for the bytes signature."""
    noise = rng.standard_normal((5, 8)).astype(np.float32)
    image = rng.integers(0, 256, (3, 16, 16, 1), dtype=np.uint8)
    return {
        "gan__noise": noise,
        "cgan__noise": noise,
        "cgan__labels": np.array([0, 1, 2, 0, 1], np.int32),
        # serving_default takes the float image the bytes signature decodes to.
        "cyclegan__image_a": image.astype(np.float32) / np.float32(127.5) - np.float32(1.0),
        "cyclegan__image_a__uint8": image,
        "cyclegan__image_a__odd": rng.integers(0, 256, (2, 20, 12, 1), dtype=np.uint8),
    }


@pytest.fixture(scope="module")
def served(export_of, tmp_path_factory):
    """`(outputs, summary, paths)` of one fresh TensorFlow-only process over the three exports."""
    paths = {
        "gan": export_of("gan").result.paths["generator"]["saved_model"],
        "cgan": export_of("cgan").result.paths["generator"]["saved_model"],
        "cyclegan": export_of("cyclegan").result.paths["a_to_b"]["saved_model"],
    }
    scratch = tmp_path_factory.mktemp("serve-png")
    cases = [{"name": n, "path": p} for n, p in paths.items()]
    cases[2]["image_input"] = "image_a"
    (scratch / "cases.json").write_text(json.dumps(cases))
    np.savez(scratch / "inputs.npz", **_feeds(np.random.default_rng(0)))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="-1")
    done = subprocess.run(
        [sys.executable, "-c", _SERVE_SCRIPT]
        + [str(scratch / f) for f in ("cases.json", "inputs.npz", "outputs.npz")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(scratch / "outputs.npz") as stored:
        outputs = {key: stored[key] for key in stored.files}
    return outputs, summary, paths


def test_signature_names_and_metadata(served):
    _, summary, paths = served
    assert summary["keras_gans_imported"] is False
    for name in ("gan", "cgan", "cyclegan"):
        specs = summary[name]["specs"]
        image_keys = ["serving_png"] + (["serving_image_bytes"] if name == "cyclegan" else [])
        assert set(specs) == {"serving_default", *image_keys}, name
        # serving_png takes serving_default's inputs and returns PNG strings [batch].
        assert specs["serving_png"] == [specs["serving_default"][0], IMAGES_BYTES]
        assert read_saved_model_metadata(paths[name])["image_signatures"] == ",".join(image_keys)
    assert summary["cyclegan"]["specs"]["serving_image_bytes"] == [
        {"image_a_bytes": ["string", [None]]},
        IMAGES_BYTES,
    ]


@pytest.mark.parametrize("name", ["gan", "cgan", "cyclegan"])
def test_png_is_the_uint8_conversion_of_serving_default(served, name):
    outputs, _, _ = served
    png, floats = outputs[f"{name}__png"], outputs[f"{name}__float"]
    assert png.dtype == np.uint8 and png.shape == floats.shape
    # Not a saturated image: many grey levels, so rounding and clipping both matter.
    assert len(np.unique(png)) > 10
    np.testing.assert_array_equal(png, _to_uint8(floats))


def test_cyclegan_translates_png_bytes(served):
    outputs, summary, _ = served
    # PNG in: the same translation as serving_default on the image mapped to [-1, 1]. The two
    # graphs may pick different oneDNN kernels, so a float a rounding error away from a half level
    # can land one level off (1 pixel of 768 on an AVX-512 EPYC); no pixel may be further.
    from_png = outputs["cyclegan__from_uint8"].astype(np.int16)
    expected = _to_uint8(outputs["cyclegan__float"]).astype(np.int16)
    assert np.abs(from_png - expected).max() <= 1
    assert np.mean(from_png != expected) < 0.01
    # The translators take any size: another size comes back at that size.
    assert outputs["cyclegan__from_odd"].shape == (2, 20, 12, 1)
    error_type, message = summary["cyclegan"]["bad_bytes"]
    assert error_type == "InvalidArgumentError", message


def test_from_uint8_inverts_to_uint8():
    # CycleGAN's first instance norm hides an affine error in the input mapping (x / 128 - 1
    # translates alike), so the mapping is checked on its own: 0 -> -1, 255 -> 1, every level back.
    levels = np.arange(256, dtype=np.uint8)
    floats = image_bytes.from_uint8(levels).numpy()
    assert floats[0] == -1.0 and floats[-1] == 1.0
    np.testing.assert_array_equal(signatures.to_uint8(floats).numpy(), levels)
