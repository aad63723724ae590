"""What an evaluation samples: a training model from its run folder, or an exported generator."""

import inspect

import numpy as np

#: Images generated per forward pass: bounds memory for large n at any resolution.
CHUNK = 256


class TrainingModelSource:
    """Samples a loaded training model through its own `sample(...)`.

    Attributes:
        model: The training model (evaluators of translation or text models use it directly).
    """

    def __init__(self, model):
        self.model = model

    def generate(self, num_images, seed=0, labels=None):
        """`[num_images, H, W, C]` images; `labels` (`[num_images]`) for conditional models."""
        if not _takes(self.model.sample, "noise"):
            # E.g. LAPGAN, whose noise is one map per level: one call draws it all.
            kwargs = {} if labels is None else {"labels": np.asarray(labels)}
            return self.model.sample(num_images=num_images, seed=seed, **kwargs)
        noise = self.model.sample_noise(num_images, seed)
        chunks = []
        for start in range(0, num_images, CHUNK):
            part = slice(start, start + CHUNK)
            kwargs = {} if labels is None else {"labels": np.asarray(labels)[part]}
            chunks.append(self.model.sample(noise=noise[part], **kwargs))
        return np.concatenate(chunks)


class ExportedSource:
    """Samples an exported generator (`keras_gans.export.load_generator`) with standard normal noise.

    Only noise (and label) inputs are generated; image or text inputs raise a ValueError.
    """

    def __init__(self, path):
        # Imported here: the export layer pulls in ONNX Runtime, which run folders do not need.
        from keras_gans.export import load_generator

        self.runner = load_generator(path)

    def generate(self, num_images, seed=0, labels=None):
        from keras_gans.export.sampler import sample_inputs

        feed = sample_inputs(self.runner.input_specs, num_images, seed, labels)
        chunks = []
        for start in range(0, num_images, CHUNK):
            outputs = self.runner.run({name: value[start:start + CHUNK] for name, value in feed.items()})
            chunks.append(outputs["images"] if "images" in outputs else outputs[self.runner.output_names[0]])
        return np.concatenate(chunks)


def _takes(function, name):
    return name in inspect.signature(function).parameters
