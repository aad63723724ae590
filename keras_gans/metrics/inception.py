"""Standard FID and KID features: the Inception graph that FID is defined with, supplied by the
user.

Heusel et al.'s FID (https://arxiv.org/abs/1706.08500) is defined by the TTUR implementation
(github.com/bioinf-jku/TTUR, `fid.py`): the 2048 `pool_3` activations of the 2015 Inception
network in `classify_image_graph_def.pb` (from `inception-2015-12-05.tgz`), fed float images in
[0, 255] of any size through the graph's `ExpandDims:0` tensor; the graph then resizes them itself
(its `ResizeBilinear` to 299 x 299) and scales them to [-1, 1]. Figures comparable with published
FIDs need exactly that file, so this module never downloads it, and checks its sha256 before use.

The expected digest is a required argument: no published sha256 of the file (or of the tgz) could
be confirmed offline, so the user states the digest of the copy they trust, e.g. from
`sha256sum classify_image_graph_def.pb` on the file their reference figures were made with.
"""

import hashlib
import os
import re

import tensorflow as tf
from google.protobuf.message import DecodeError

from keras_gans.metrics import checks
from keras_gans.metrics.image_features import run_in_batches, to_rgb_uint8

#: TTUR's input: a batch of float RGB images in [0, 255], before the graph's own resize.
INPUT_TENSOR = "ExpandDims:0"
#: TTUR's output: `[N, 1, 1, 2048]` average-pooled activations (not `pool_3/_reshape`, which is
#: fixed to N=1).
OUTPUT_TENSOR = "pool_3:0"
#: TTUR's batch size.
DEFAULT_BATCH_SIZE = 50

_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def file_sha256(path):
    """The lowercase hex sha256 of the file at `path`, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_inception_graph(path, expected_sha256):
    """Reads the Inception `GraphDef` at `path` after checking its sha256.

    Args:
        path: The `classify_image_graph_def.pb` file (or, in tests, a graph with the same input and
            output tensor names).
        expected_sha256: The 64-hex-digit sha256 the file must have (case-insensitive).

    Returns:
        A `tf.compat.v1.GraphDef` with nodes `ExpandDims` and `pool_3`.

    Raises:
        ValueError: If `path` is not a file, `expected_sha256` is not 64 hex digits, the file's
            digest differs (the message names path, expected and actual digest), it does not
            parse as a GraphDef, or it lacks the input or output node.
    """
    path = os.fspath(path)
    expected = str(expected_sha256).strip().lower()
    if not _HEX_DIGEST.fullmatch(expected):
        raise ValueError(f"expected_sha256 must be 64 hex digits; received {expected_sha256!r}.")
    if not os.path.isfile(path):
        raise ValueError(f"Inception graph {path!r} is not a file.")
    actual = file_sha256(path)
    if actual != expected:
        raise ValueError(
            f"Inception graph {path!r} has sha256 {actual}, expected {expected}: it is not the "
            "file the expected digest names (a different or damaged copy), so its figures would "
            "not be comparable."
        )
    graph_def = tf.compat.v1.GraphDef()
    with open(path, "rb") as file:
        try:
            graph_def.ParseFromString(file.read())
        except DecodeError as error:
            raise ValueError(
                f"Inception graph {path!r} is not a TensorFlow GraphDef: {error}."
            ) from None
    names = {node.name for node in graph_def.node}
    missing = [
        tensor for tensor in (INPUT_TENSOR, OUTPUT_TENSOR) if tensor.split(":")[0] not in names
    ]
    if missing:
        raise ValueError(
            f"Inception graph {path!r} has no tensor(s) {missing}; FID needs {INPUT_TENSOR} and "
            f"{OUTPUT_TENSOR}."
        )
    return graph_def


def _pool3_function(graph_def):
    """A concrete function `[N, H, W, 3] float32 in [0, 255] -> pool_3` of the imported graph.

    The graph's own `ExpandDims:0` is static `[1, ?, ?, 3]` (one decoded JPEG); mapping it to a
    `[None, None, None, 3]` placeholder lets shape inference run again on batches (TTUR patches
    every tensor's shape instead). Pruning to the placeholder and `pool_3:0` drops the JPEG
    decoding ops before it, which are never fed.
    """

    def import_graph():
        images = tf.compat.v1.placeholder(tf.float32, [None, None, None, 3], name="images")
        tf.compat.v1.import_graph_def(graph_def, input_map={INPUT_TENSOR: images}, name="inception")

    wrapped = tf.compat.v1.wrap_function(import_graph, [])
    graph = wrapped.graph
    return wrapped.prune(
        feeds=graph.get_tensor_by_name("images:0"),
        fetches=graph.get_tensor_by_name(f"inception/{OUTPUT_TENSOR}"),
    )


class InceptionFeatures:
    """The FID's `pool_3` features of image batches, from a checked Inception `GraphDef`.

    Attributes:
        name: `"inception_pool3"`, for reports.
        description: What figures on these features mean.
        batch_size: Images per graph call.
    """

    name = "inception_pool3"
    description = (
        "pool_3 features of the user-supplied Inception graph of TTUR's FID (sha256-checked): the "
        "standard FID/KID features, comparable with published figures computed on the same file "
        "and the same number of images."
    )

    def __init__(self, graph_def, batch_size=DEFAULT_BATCH_SIZE):
        self.batch_size = checks.check_int_in("batch_size", batch_size, 1, 10**6)
        self._function = _pool3_function(graph_def)

    @classmethod
    def from_file(cls, path, expected_sha256, batch_size=DEFAULT_BATCH_SIZE):
        """`InceptionFeatures` of the graph at `path`, after `load_inception_graph`'s checks."""
        return cls(load_inception_graph(path, expected_sha256), batch_size=batch_size)

    def __call__(self, images):
        """`[N, D]` float64 features (D = 2048 for the real graph) of `images`.

        Args:
            images: `[N, H, W, C]`, C in {1, 3}, float in [-1, 1] or uint8, any H and W. They are
                quantised to [0, 255] as if read from PNG files (as TTUR reads its folders) and
                grey ones repeated to RGB; the graph resizes them itself.
        """
        rgb = to_rgb_uint8(images)
        return run_in_batches(
            lambda batch: self._function(tf.constant(batch, tf.float32)).numpy(),
            rgb,
            self.batch_size,
        )
