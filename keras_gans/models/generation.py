"""`generate`: the one inference call of every training model, over its deployable graphs.

A mixin of `AdversarialModel`. The inputs are keyed by the graphs' input names (`noise`,
`labels`, `text_embedding`, `captions`, `image_a`...); the work common to training models and
exported generators (drawing noise, default labels, checks, batching) is `keras_gans.inference`.
"""

import numpy as np
import tensorflow as tf

from keras_gans import inference


class Generation:
    """`generate` and its two hooks (`generation_graphs`, `check_generate_inputs`)."""

    def generation_graphs(self):
        """The graphs `generate` runs: `inference_models()`, plus views a model does not export.

        E.g. StackGAN's `caption_generator` (string input) and LAPGAN's `pyramid` (every level's
        image). All are deployable (float32, EMA weights when kept).
        """
        return self.inference_models()

    def check_generate_inputs(self, inputs):
        """Checks inputs given to `generate` with this model's own messages; returns them.

        The generic checks against the graph's input specs (name, dtype, shape, class range)
        follow; a model overrides this to name its inputs' meaning (e.g. `noise must have shape
        [batch, 64]`) or to accept lists where the graph needs float32.
        """
        return inputs

    def generate(self, inputs=None, num_images=None, seed=0, graph=None, batch_size=256):
        """Runs a deployable inference graph on inputs named as its inputs are: one call for all.

        Noise inputs left out (`noise`, `noise_<k>`) are standard normal, drawn from `seed` and
        keyed by their name (`keras_gans.inference.draw_noise`), so the same call on an export
        (`OnnxRunner.generate`, ...) draws the same noise. Labels left out cycle through the
        classes (0, 1, ..., K-1, 0, ...). Any other input (images, captions, embeddings) must be
        given. The graphs are the deployable ones: float32, with EMA weights when kept.

        Args:
            inputs: `{input_name: array}`: e.g. `{"labels": [7, 7]}` (CGAN), `{"captions": [...]}`
                (StackGAN), `{"image_a": images}` (CycleGAN), `{"noise": z}`; None draws all.
            num_images: Batch size when no input fixes it (must agree when one does).
            seed: Non-negative integer seed of the noise left out.
            graph: The name of one of `generation_graphs()`; None takes the first (in that order)
                that accepts the given inputs and can draw the others.
            batch_size: Examples per forward pass (the result does not depend on it).

        Returns:
            `{output_name: np.ndarray}`, e.g. `{"images": [N, H, W, C] float32 in [-1, 1]}`.

        Raises:
            ValueError: Naming the bad value: an unknown graph or input name, a wrong dtype, shape
                or class id, a missing input that cannot be drawn, or a disagreeing `num_images`.
        """
        graphs = self.generation_graphs()
        classes = getattr(self, "num_classes", None)
        specs = {
            name: inference.keras_input_specs(model, classes) for name, model in graphs.items()
        }
        given = self.check_generate_inputs(inference.as_input_dict(inputs))
        name = self._graph_for(specs, given, graph)
        arrays = inference.complete_inputs(specs[name], given, num_images, seed)
        return inference.run_in_batches(keras_runner(graphs[name]), arrays, batch_size)

    def _graph_for(self, specs, given, graph):
        if graph is not None:
            if graph not in specs:
                raise ValueError(f"graph must be one of {list(specs)}; received {graph!r}.")
            return graph
        for name, graph_specs in specs.items():
            if inference.takes(graph_specs, given):
                return name
        expected = "; ".join(
            f"{name} takes {', '.join(s.name for s in graph_specs)}"
            for name, graph_specs in specs.items()
        )
        raise ValueError(
            f"No graph of {type(self).__name__} can run on inputs {sorted(given)}: {expected} "
            "(noise and labels may be left out)."
        )


def keras_runner(graph):
    """`run({name: array}) -> {output_name: array}` for a functional Keras graph."""
    names = list(graph.output_names)

    def run(arrays):
        # Tensors throughout: Keras refuses a mix of tensors (strings) and numpy arrays.
        values = [tf.constant(array) for array in arrays.values()]
        outputs = graph(values if len(values) > 1 else values[0], training=False)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        return {name: np.asarray(x) for name, x in zip(names, outputs)}

    return run
