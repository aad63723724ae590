"""The Inception feature path on a tiny GraphDef with TTUR's input and output tensor names.

The tiny graph mirrors the real one's plumbing: a static `[1, ?, ?, 3]` `ExpandDims` fed by an
unfed placeholder, the graph's own legacy `ResizeBilinear`, the `(x - 128) / 128` scaling, and a
`pool_3` of shape `[N, 1, 1, D]` beside a `pool_3/_reshape` fixed to N = 1. `pool_3` reads N from
a `Shape` op: fed through the graph's own static `[1, ?, ?, 3]`, Grappler folds it to 1 and batches
fail, as TTUR's batches did before it patched every static shape.
"""

import hashlib

import numpy as np
import pytest
import scipy.linalg
import tensorflow as tf

from keras_gans import metrics
from keras_gans.metrics import inception
from keras_gans.metrics.folder_features import feature_extractor, folder_features

SIZE, DEPTH = 8, 5
WEIGHTS = np.random.default_rng(42).normal(size=(3, DEPTH)).astype(np.float32)


def _tiny_graph_def():
    with tf.Graph().as_default() as graph:
        decoded = tf.compat.v1.placeholder(tf.float32, [None, None, 3], name="Cast")
        expanded = tf.expand_dims(decoded, 0, name="ExpandDims")
        resized = tf.compat.v1.image.resize_bilinear(expanded, [SIZE, SIZE], align_corners=False)
        scaled = (resized - 128.0) / 128.0
        conv = tf.nn.relu(tf.nn.conv2d(scaled, WEIGHTS[None, None], 1, "VALID"))
        batch = tf.raw_ops.Shape(input=conv)[0]  # a raw op: tf.shape would fold it to 1 right here
        pool = tf.reshape(
            tf.reduce_mean(conv, axis=[1, 2]), tf.stack([batch, 1, 1, DEPTH]), name="pool_3"
        )
        tf.reshape(pool, [1, DEPTH], name="pool_3/_reshape")
    return graph.as_graph_def()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("inception") / "tiny_graph_def.pb"
    path.write_bytes(_tiny_graph_def().SerializeToString())
    return str(path), hashlib.sha256(path.read_bytes()).hexdigest()


def _legacy_resize(image, size):
    """NumPy `ResizeBilinear(align_corners=False, half_pixel_centers=False)` of `[H, W, C]`."""

    def axis(length):
        source = np.arange(size) * (length / size)
        low = np.floor(source).astype(int)
        return low, np.minimum(low + 1, length - 1), source - low

    y0, y1, dy = axis(image.shape[0])
    x0, x1, dx = axis(image.shape[1])
    rows = image[y0] * (1 - dy)[:, None, None] + image[y1] * dy[:, None, None]
    return rows[:, x0] * (1 - dx)[None, :, None] + rows[:, x1] * dx[None, :, None]


def _reference_features(images):
    """The tiny graph in NumPy, fed as TTUR feeds it: PNG-quantised RGB in [0, 255]."""
    rgb = np.round((images + 1.0) * 127.5)
    rgb = np.repeat(rgb, 3, axis=-1) if rgb.shape[-1] == 1 else rgb
    out = []
    for image in rgb:
        scaled = (_legacy_resize(image, SIZE) - 128.0) / 128.0
        out.append(np.maximum(scaled @ WEIGHTS, 0.0).mean(axis=(0, 1)))
    return np.array(out)


def _images(n, height=5, width=6, channels=3, seed=0):
    return (
        np.random.default_rng(seed)
        .uniform(-1, 1, size=(n, height, width, channels))
        .astype(np.float32)
    )


def test_features_equal_numpy_graph_over_uneven_batches(graph_file):
    images = _images(7)
    features = inception.InceptionFeatures.from_file(*graph_file, batch_size=3)(images)
    assert features.shape == (7, DEPTH)
    np.testing.assert_allclose(features, _reference_features(images), rtol=1e-5, atol=1e-6)


def test_grey_and_uint8_images_are_fed_as_rgb_in_0_255(graph_file):
    extractor = inception.InceptionFeatures.from_file(*graph_file)
    grey = _images(4, channels=1, seed=1)
    np.testing.assert_allclose(extractor(grey), _reference_features(grey), rtol=1e-5, atol=1e-6)
    as_uint8 = np.round((grey + 1.0) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(extractor(as_uint8), extractor(grey))


def test_fid_and_kid_on_graph_features_equal_numpy_figures(graph_file):
    extractor = inception.InceptionFeatures.from_file(*graph_file)
    real, fake = _images(30, seed=2), _images(30, seed=3) * 0.5
    x, y = _reference_features(real), _reference_features(fake)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    fid = np.sum((x.mean(0) - y.mean(0)) ** 2) + np.trace(
        s1 + s2 - 2 * scipy.linalg.sqrtm(s1 @ s2).real
    )
    assert metrics.frechet_classifier_distance(extractor(real), extractor(fake)) == pytest.approx(
        fid, rel=1e-4
    )

    def kernel(a, b):
        return (a @ b.T / a.shape[1] + 1.0) ** 3

    def within(a):
        k = kernel(a, a)
        return (k.sum() - np.trace(k)) / (len(a) * (len(a) - 1))

    mmd = within(x) + within(y) - 2 * kernel(x, y).mean()
    # One subset of the sets' full size: a permutation of each set, so the full-set estimate.
    kid, _ = metrics.kernel_distance(
        extractor(real), extractor(fake), num_subsets=1, subset_size=30
    )
    assert kid == pytest.approx(mmd, rel=1e-4)


def test_sha256_mismatch_error_names_path_expected_and_actual(graph_file):
    path, actual = graph_file
    wrong = "ab" * 32
    with pytest.raises(ValueError) as error:
        inception.load_inception_graph(path, wrong)
    assert str(error.value) == (
        f"Inception graph {path!r} has sha256 {actual}, expected {wrong}: it is not the file "
        "the expected digest names (a different or damaged copy), so its figures would not be "
        "comparable."
    )
    # Upper-case digests (as some tools print them) are accepted.
    assert inception.load_inception_graph(path, actual.upper()).node


def test_bad_files_and_digests_raise_clear_errors(graph_file, tmp_path):
    path, actual = graph_file
    with pytest.raises(ValueError, match=r"expected_sha256 must be 64 hex digits; received 'abc'"):
        inception.load_inception_graph(path, "abc")
    with pytest.raises(ValueError, match=r"is not a file"):
        inception.load_inception_graph(str(tmp_path / "missing.pb"), actual)
    junk = tmp_path / "junk.pb"
    junk.write_bytes(b"\xff\xff\xff not a protobuf")
    with pytest.raises(ValueError, match=r"is not a TensorFlow GraphDef"):
        inception.load_inception_graph(str(junk), hashlib.sha256(junk.read_bytes()).hexdigest())
    with tf.Graph().as_default() as graph:
        tf.compat.v1.placeholder(tf.float32, [None, 4], name="ExpandDims")
    other = tmp_path / "other.pb"
    other.write_bytes(graph.as_graph_def().SerializeToString())
    with pytest.raises(ValueError, match=r"has no tensor\(s\) \['pool_3:0'\]"):
        inception.load_inception_graph(str(other), hashlib.sha256(other.read_bytes()).hexdigest())


def test_bad_images_raise_clear_errors(graph_file):
    extractor = inception.InceptionFeatures.from_file(*graph_file)
    with pytest.raises(ValueError, match=r"C in \(1, 3\)\]; received \(2, 5, 5, 4\)"):
        extractor(np.zeros((2, 5, 5, 4), np.float32))
    with pytest.raises(ValueError, match=r"float in \[-1, 1\]; received values in \[0, 255\]"):
        extractor(np.full((2, 5, 5, 3), 255.0, np.float32) * np.arange(2)[:, None, None, None])


def test_feature_extractor_picks_inception_when_a_graph_is_given(graph_file):
    path, actual = graph_file
    extractor = feature_extractor(path, actual, batch_size=2)
    features, name = folder_features(_images(3), extractor)
    assert isinstance(extractor, inception.InceptionFeatures) and name == "inception_pool3"
    assert features.shape == (3, DEPTH)
    with pytest.raises(ValueError, match=r"needs inception_sha256"):
        feature_extractor(path)
    with pytest.raises(ValueError, match=r"without inception_graph"):
        feature_extractor(inception_sha256=actual)
