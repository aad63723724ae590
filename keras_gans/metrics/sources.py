"""What an evaluation samples: a training model from its run folder, or an exported generator.

Both are driven by the one inference call, `generate(inputs, num_images=..., seed=...)`, keyed by
the graphs' input names, so an evaluator treats them alike.
"""

#: Images generated per forward pass: bounds memory for large n at any resolution.
CHUNK = 256


class TrainingModelSource:
    """A loaded training model; `generate` is the model's own (`AdversarialModel.generate`).

    Attributes:
        model: The training model.
    """

    def __init__(self, model):
        self.model = model

    def generate(self, inputs=None, num_images=None, seed=0):
        """`{output_name: array}` of the model's deployable graphs for `inputs` (see the
        model's)."""
        return self.model.generate(inputs, num_images=num_images, seed=seed, batch_size=CHUNK)


class ExportedSource:
    """An exported generator, loaded by the export layer, driven by the same call.

    Noise inputs left out are drawn as the training model draws them, labels cycle through the
    classes; image or text inputs must be given.

    Attributes:
        runner: The loaded generator (`keras_gans.export.load_generator(path)`).
    """

    def __init__(self, runner):
        self.runner = runner

    def generate(self, inputs=None, num_images=None, seed=0):
        """`{output_name: array}` of the exported graph for `inputs` (see `OnnxRunner.generate`)."""
        return self.runner.generate(inputs, num_images=num_images, seed=seed, batch_size=CHUNK)
