"""SavedModel export for TF Serving: one `serving_default` signature with the graph's own names."""

import tensorflow as tf

from keras_gans.export import metadata as metadata_lib
from keras_gans.export import signatures

SIGNATURE_KEY = "serving_default"


def save_saved_model(model, path, uint8=False, metadata=None):
    """Writes `model` as a SavedModel at `path` (a version folder of TF Serving's layout).

    The signature takes the model's named inputs (`noise`, `labels`, ...) with a dynamic batch axis
    and returns `{"images": ...}` (float32 in [-1, 1], or uint8 in [0, 255] with `uint8=True`).
    Only variables are saved beside the traced graph, so loading needs TensorFlow alone.

    Args:
        model: A functional `keras.Model` with named inputs and outputs.
        path: The folder to create; it must not exist.
        uint8: Return uint8 images instead of floats.
        metadata: Optional `{key: str}` written to `assets.extra/keras_gans_metadata.json`.
    """
    serve = signatures.serving_function(model, uint8=uint8)
    module = tf.Module()
    # Track the variables, not the Keras objects: the loader then needs no Keras classes.
    module.model_variables = list(model.variables)
    module.serve = serve
    tf.saved_model.save(module, path, signatures={SIGNATURE_KEY: serve.get_concrete_function()})
    if metadata:
        metadata_lib.write_saved_model_metadata(path, metadata)
