"""What a training model deploys: its inference graphs, float32 and with the EMA weights.

A mixin of `AdversarialModel`. Each model names its graphs (`inference_models`), any extra
SavedModel signatures (`saved_model_signatures`), the graph inputs that are images
(`image_inputs`, which the SavedModel also takes as PNG or JPEG bytes) and its sample grid
(`preview`); `deployable` turns a trained network into the graph those return.
"""

from keras_gans.models import precision


class Deployment:
    """The deployment hooks (`inference_models`, `saved_model_signatures`, `image_inputs`,
    `preview`) and `deployable`."""

    def inference_models(self):
        """The graphs a user deploys, as `{name: keras.Model}` with named inputs and outputs.

        Always float32 and, when EMA is on, holding the averaged weights: see `deployable`.
        """
        raise NotImplementedError

    def saved_model_signatures(self, graphs):
        """Extra SavedModel signatures beside each graph's `serving_default`; none by default.

        For deployable front ends ONNX cannot carry, such as string inputs (tf2onnx cannot convert
        `TextVectorization`'s string ops): the export writes each as a further signature of the
        graph's SavedModel, while its ONNX file keeps the graph alone.

        Args:
            graphs: What `inference_models()` returned. Build the extra graphs on these (share
                their layers), so that the SavedModel stores each weight once.

        Returns:
            `{graph_name: {signature_key: keras.Model}}`, each model with named inputs and the
            outputs of the graph it extends.
        """
        return {}

    def image_inputs(self):
        """`{graph_name: (input names)}`: graph inputs that are images in [-1, 1]; none by default.

        The export gives the SavedModel of each such graph a signature taking those inputs as
        encoded PNG or JPEG bytes (`keras_gans.export.image_bytes`), for image-to-image graphs.
        """
        return {}

    def deployable(self, network):
        """A float32 copy of `network`, with the EMA weights and statistics when `ema_decay` is set.

        Mixed-precision training keeps float32 variables but computes in low precision; exports
        and samples are float32 graphs. Returns `network` itself when nothing needs changing.
        """
        averaged = self.uses_ema()
        mixed = network.dtype_policy.name != "float32"
        if not averaged and not mixed:
            return network
        with precision.Float32Policy():
            copy = network.__class__.from_config(precision.float32_config(network.get_config()))
        copy.set_weights(network.get_weights())
        if averaged:
            averages = self._ema_by_variable()
            for source, target in zip(network.weights, copy.weights):
                if id(source) in averages:
                    target.assign(averages[id(source)])
        return copy

    def preview(self, seed):
        """`(images [N, H, W, C] in [-1, 1], columns)` for the sample grid, fixed by `seed`."""
        raise NotImplementedError
