"""SavedModel export for TF Serving: `serving_default` with the graph's own names, plus extras.

A graph's SavedModel may carry further signatures (`AdversarialModel.saved_model_signatures`),
e.g. StackGAN's `captions`, which takes caption strings: TF Serving picks one by `signature_name`.
Every SavedModel also has the PNG signatures of `image_bytes` (`serving_png`, and
`serving_image_bytes` for graphs with image inputs).
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gans.export import image_bytes, signatures
from keras_gans.export import inputs as inputs_lib
from keras_gans.export import metadata as metadata_lib

SIGNATURE_KEY = "serving_default"
# Words of the example texts fed to a string input whose graph has no vocabulary to draw from.
_FALLBACK_WORDS = ("a", "small", "example", "text")


def check_extra_signatures(extra_signatures):
    """Returns `extra_signatures` as a dict after checking its keys and graphs.

    Raises:
        ValueError: On a key that is empty, not a string or `serving_default`, or a value that is
            not a `keras.Model`.
    """
    extra_signatures = dict(extra_signatures or {})
    for key, graph in extra_signatures.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(
                f"Signature keys must be identifiers such as 'captions'; received {key!r}."
            )
        if key in (SIGNATURE_KEY, *image_bytes.SIGNATURE_KEYS):
            raise ValueError(
                f"The extra signature {key!r} would replace the graph's own {key!r}; "
                "choose another key."
            )
        if not isinstance(graph, keras.Model):
            raise ValueError(
                f"Signature {key!r} must be a keras.Model; received {type(graph).__name__}."
            )
    return extra_signatures


def save_saved_model(
    model, path, uint8=False, metadata=None, extra_signatures=None, image_inputs=()
):
    """Writes `model` as a SavedModel at `path` (a version folder of TF Serving's layout).

    The `serving_default` signature takes the model's named inputs (`noise`, `labels`, ...) with a
    dynamic batch axis and returns `{"images": ...}` (float32 in [-1, 1], or uint8 in [0, 255]
    with `uint8=True`). Each extra signature does the same for its own graph. `serving_png` returns
    the images as PNG bytes (`images_bytes`), and with `image_inputs` `serving_image_bytes` also
    takes those inputs as PNG or JPEG bytes (`<name>_bytes`). Loading needs TensorFlow alone.

    Args:
        model: A functional `keras.Model` with named inputs and outputs.
        path: The folder to create; it must not exist.
        uint8: Return uint8 images instead of floats.
        metadata: Optional `{key: str}` written to `assets.extra/keras_gans_metadata.json`.
        extra_signatures: Optional `{signature_key: keras.Model}` served beside `serving_default`
            (see `AdversarialModel.saved_model_signatures`).
        image_inputs: Names of the model's image inputs in [-1, 1] (`Deployment.image_inputs`),
            which `serving_image_bytes` takes as encoded images.
    """
    extra_signatures = check_extra_signatures(extra_signatures)
    png_functions = image_bytes.image_functions(model, image_inputs)
    serve = signatures.serving_function(model, uint8=uint8)
    module = tf.Module()
    # Track the variables, not the Keras objects: the loader then needs no Keras classes.
    module.model_variables = list(model.variables)
    module.serve = serve
    functions = {SIGNATURE_KEY: serve.get_concrete_function()}
    module.png_functions = list(png_functions.values())
    functions.update({key: f.get_concrete_function() for key, f in png_functions.items()})
    if extra_signatures:
        # Extra graphs may hold resources beside variables (a caption vocabulary's lookup
        # table), so the graphs themselves are tracked; variables they share are saved once.
        module.signature_graphs = list(extra_signatures.values())
        module.signature_functions = []
        for key, graph in extra_signatures.items():
            function = signatures.serving_function(graph, uint8=uint8)
            module.signature_functions.append(function)
            functions[key] = function.get_concrete_function()
    tf.saved_model.save(module, path, signatures=functions)
    if metadata:
        metadata = {**metadata, "image_signatures": ",".join(png_functions)}
        metadata_lib.write_saved_model_metadata(path, metadata)


def _example_texts(graph, count, rng):
    """`count` texts of 1 to 4 words from the vocabulary of `graph`'s tokenizer, if it has one."""
    words = []
    for layer in graph._flatten_layers(include_self=False):
        if hasattr(layer, "get_vocabulary"):
            # Skip padding and the out-of-vocabulary token: real words exercise the lookup table.
            words += [w for w in layer.get_vocabulary() if w and not w.startswith("[")]
    words = sorted(set(words)) or list(_FALLBACK_WORDS)
    return np.array(
        [" ".join(rng.choice(words, size=rng.integers(1, 5))) for _ in range(count)], dtype=object
    )


def _example_inputs(graph, batch_size, seed):
    rng = np.random.default_rng(seed)
    tensor_specs = signatures.input_specs(graph)
    numeric = [spec for spec in tensor_specs if spec.dtype != tf.string]
    feed = inputs_lib.random_inputs(
        inputs_lib.specs_from_tensor_specs(numeric), batch_size, seed=seed
    )
    for spec in tensor_specs:
        if spec.dtype == tf.string:
            feed[spec.name] = _example_texts(graph, batch_size, rng)
    return {spec.name: feed[spec.name] for spec in tensor_specs}


def _storable(value):
    """`value` as an array `np.savez` writes without pickling (texts as unicode, not objects)."""
    array = np.asarray(value)
    return array.astype(str) if array.dtype == object else array


def verify_extra_signatures(
    path, extra_signatures, batch_sizes=(1, 7), uint8=False, seed=0, reloader=None
):
    """Checks each extra signature of the SavedModel at `path` against its Keras graph.

    Numeric inputs are random as in `parity.verify`; string inputs are texts of words from the
    graph's tokenizer vocabulary. Like `serving_default` in `parity.verify`, each signature runs
    in a fresh process that imports only TensorFlow and numpy (`reloader`'s, when given).

    Returns:
        `{signature_key: [ParityReport, one per batch size]}`.

    Raises:
        ParityError: If any output differs beyond the SavedModel tolerance (one grey level for
            uint8).
    """
    # Imported here: parity pulls in ONNX Runtime, which writing a SavedModel does not need.
    from keras_gans.export import parity as parity_lib

    extra_signatures = check_extra_signatures(extra_signatures)
    if not extra_signatures:
        return {}
    tolerance = parity_lib.UINT8_TOLERANCE if uint8 else parity_lib.TOLERANCES["saved_model"]
    reports = {}
    for key, graph in extra_signatures.items():
        reference_fn = signatures.serving_function(graph, uint8=uint8)
        feeds = {f"b{b}": _example_inputs(graph, b, seed + b) for b in batch_sizes}
        results = parity_lib.reload_saved_model_outputs(
            path,
            {b: {n: _storable(v) for n, v in feed.items()} for b, feed in feeds.items()},
            key,
            reloader=reloader,
        )
        reports[key] = []
        for batch_size in batch_sizes:
            tensors = {name: tf.constant(value) for name, value in feeds[f"b{batch_size}"].items()}
            with tf.device("/cpu:0"):
                reference = reference_fn(*tensors.values())
            outputs = {n: tf.constant(v) for n, v in results[f"b{batch_size}"].items()}
            if set(outputs) != set(reference):
                raise parity_lib.ParityError(
                    f"Signature {key!r} returns {sorted(outputs)}; its graph returns "
                    f"{sorted(reference)}."
                )
            diff = max(
                float(np.max(np.abs(outputs[n].numpy().astype(np.float64) - reference[n].numpy())))
                for n in reference
            )
            reports[key].append(
                parity_lib.ParityReport(
                    "saved_model", batch_size, diff, tolerance, f"{path} [{key}]"
                )
            )
    failed = [r for rs in reports.values() for r in rs if not r.passed]
    if failed:
        raise parity_lib.ParityError(
            "Export parity check of the extra signatures failed:\n"
            + "\n".join(str(r) for rs in reports.values() for r in rs)
        )
    return reports
