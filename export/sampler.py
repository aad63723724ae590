"""Generate an image grid from a `.keras` file, a SavedModel folder or an `.onnx` file.

The three formats are wrapped behind one small interface (`input_specs`, `metadata`, `run`, and
the training models' `generate`), so the sampler feeds them the same noise and labels and checks
inputs with the same messages.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans import images as images_lib
from keras_gans import inference, interpolation
from keras_gans.export import inputs as inputs_lib
from keras_gans.export import metadata as metadata_lib
from keras_gans.export import runner as runner_lib
from keras_gans.export import saved_model as saved_model_lib
from keras_gans.export import signatures
from keras_gans.models.generation import keras_runner
from keras_gans.run_files import MODEL_FILE


class KerasGenerator(inference.GeneratesFromInputs):
    """One inference graph of a `.keras` training model, run by Keras."""

    def __init__(self, graph, metadata):
        self.graph = graph
        self.metadata = metadata
        self.input_specs = inputs_lib.specs_from_tensor_specs(
            signatures.input_specs(graph), metadata_lib.num_classes(metadata)
        )
        self.output_names = signatures.output_names(graph)
        self._run = keras_runner(graph)

    def run(self, inputs):
        return self._run(inputs_lib.check_inputs(self.input_specs, inputs))


class SavedModelGenerator(inference.GeneratesFromInputs):
    """The `serving_default` signature of a SavedModel folder, run by TensorFlow."""

    def __init__(self, path):
        self.signature = tf.saved_model.load(path).signatures[saved_model_lib.SIGNATURE_KEY]
        self.metadata = metadata_lib.read_saved_model_metadata(path)
        tensor_specs = self.signature.structured_input_signature[1]
        self.input_specs = inputs_lib.specs_from_tensor_specs(
            [tensor_specs[name] for name in sorted(tensor_specs)],
            metadata_lib.num_classes(self.metadata),
        )
        self.output_names = sorted(self.signature.structured_outputs)

    def run(self, inputs):
        arrays = inputs_lib.check_inputs(self.input_specs, inputs)
        outputs = self.signature(**{name: tf.constant(a) for name, a in arrays.items()})
        return {name: outputs[name].numpy() for name in self.output_names}


def _latest_saved_model(folder):
    if os.path.exists(os.path.join(folder, "saved_model.pb")):
        return folder
    versions = sorted(int(v) for v in os.listdir(folder) if v.isdigit())
    for version in reversed(versions):
        candidate = os.path.join(folder, str(version))
        if os.path.exists(os.path.join(candidate, "saved_model.pb")):
            return candidate
    return None


def load_generator(model_path, graph=None, device="auto", prefer=None):
    """Opens an exported or saved generator.

    Args:
        model_path: A `.keras` file (a training model or a functional generator), a SavedModel
            folder (or a TF Serving model folder: its newest version), a training run folder (its
            `model.keras`), or an `.onnx` file.
        graph: Which of a `.keras` model's `inference_models()` to use; needed when it has several
            and `prefer` is None.
        device: For `.onnx`: `auto`, `cpu` or `cuda` (see `OnnxRunner`).
        prefer: Instead of `graph`: `prefer(input_specs) -> bool`; the first graph it accepts is
            used, else the first graph (whose inputs the caller then rejects with its own words).

    Returns:
        An object with `input_specs`, `metadata`, `output_names` and `run({name: array})`.

    Raises:
        ValueError: If `model_path` is none of these, or `graph` is missing or unknown.
    """
    model_path = os.fspath(model_path)
    if model_path.endswith(".onnx") and os.path.isfile(model_path):
        return runner_lib.OnnxRunner(model_path, device=device)
    if os.path.isdir(model_path):
        folder = _latest_saved_model(model_path)
        if folder is not None:
            return SavedModelGenerator(folder)
        run_model = os.path.join(model_path, MODEL_FILE)
        if os.path.isfile(run_model):  # a training run folder
            return _keras_generator(run_model, graph, prefer)
        raise ValueError(
            f"{model_path} holds no saved_model.pb (nor a numeric version folder with one) and no "
            f"{MODEL_FILE} (a training run folder)."
        )
    if model_path.endswith(".keras") and os.path.isfile(model_path):
        return _keras_generator(model_path, graph, prefer)
    raise ValueError(
        "model_path must be a .keras file, a SavedModel folder or an .onnx file; received "
        f"{model_path!r}."
    )


def _keras_generator(path, graph, prefer=None):
    # Compiled as saved: training state such as EMA generator weights is restored with it.
    model = keras.saving.load_model(path)
    if hasattr(model, "inference_models"):
        graphs, owner = model.inference_models(), model
    else:
        graphs, owner = {model.name: model}, None
    if graph is None and prefer is not None:
        classes = getattr(owner, "num_classes", None)
        accepted = [
            name
            for name, g in graphs.items()
            if prefer(inputs_lib.specs_from_tensor_specs(signatures.input_specs(g), classes))
        ]
        graph = (accepted or list(graphs))[0]
    if graph is None:
        if len(graphs) != 1:
            raise ValueError(f"{path} holds the graphs {sorted(graphs)}; choose one with graph=.")
        graph = next(iter(graphs))
    if graph not in graphs:
        raise ValueError(f"{path} has no graph {graph!r}; it holds {sorted(graphs)}.")
    return KerasGenerator(graphs[graph], metadata_lib.graph_metadata(owner, graph, uint8=False))


def label_inputs(input_specs, num_images, labels=None):
    """`{label_input: labels}` for `generate`: `labels` repeated in turn to fill `num_images`.

    Args:
        input_specs: The generator's `InputSpec`s.
        num_images: Batch size.
        labels: Class labels, or None (then `generate` cycles through the recorded classes).

    Returns:
        The inputs dict (empty without labels).
    """
    inference.check_num_images(num_images)
    if labels is None:
        return {}
    expected = "; ".join(spec.describe() for spec in input_specs)
    label_specs = [spec for spec in input_specs if spec.is_integer]
    if not label_specs:
        raise ValueError(f"labels were given but the model takes no labels; it expects {expected}.")
    if len(labels) == 0:
        raise ValueError("labels must list at least one class id; received none.")
    return {spec.name: np.resize(np.asarray(labels), num_images) for spec in label_specs}


def sample_grid(
    model_path,
    output,
    num_images=16,
    labels=None,
    seed=0,
    rows=None,
    graph=None,
    device="auto",
    truncation=None,
):
    """Generates `num_images` images and writes them as one PNG grid.

    Args:
        model_path: See `load_generator`.
        output: The PNG path.
        num_images: How many images.
        labels: Class labels for conditional models (repeated in turn); see `label_inputs`.
        seed: Seed of the noise.
        rows: Grid rows; default near-square.
        graph: See `load_generator`.
        device: See `load_generator`.
        truncation: See `sample_inputs`.

    Returns:
        The `[rows * H, cols * W, C]` uint8 grid that was written.
    """
    generator = load_generator(model_path, graph=graph, device=device)
    inputs = sample_inputs(generator, model_path, num_images, labels, seed, truncation)
    image = images_lib.make_grid(_images(generator, inputs, seed, num_images), rows=rows)
    images_lib.write_png(output, image)
    return image


def sample_inputs(generator, model_path, num_images, labels=None, seed=0, truncation=None):
    """The inputs `generate` completes: the labels, and the noise when truncated.

    Args:
        generator: A `load_generator` result.
        model_path: How error messages name the model when its metadata does not.
        num_images: Batch size.
        labels: See `label_inputs`.
        seed: Seed of the noise.
        truncation: None, or psi > 0: each noise value with `|z| > psi` is redrawn until inside
            (`keras_gans.inference.truncated_normal`), drawn from `seed` as `generate` would.

    Raises:
        ValueError: On bad labels, a psi <= 0, or a truncation for a model without noise.
    """
    inputs = label_inputs(generator.input_specs, num_images, labels)
    if truncation is None:
        return inputs
    truncation = inference.check_truncation(truncation)
    noise_specs = [spec for spec in generator.input_specs if spec.is_noise]
    if not noise_specs:
        name = generator.metadata.get("model_class") or os.path.basename(
            os.path.normpath(model_path)
        )
        expected = "; ".join(spec.describe() for spec in generator.input_specs)
        raise ValueError(f"{name} has no noise input to truncate: it takes {expected}.")
    for spec in noise_specs:
        inputs[spec.name] = inference.draw_noise(spec, num_images, seed, truncation)
    return inputs


def _images(generator, inputs, seed, num_images):
    outputs = generator.generate(inputs, num_images=num_images, seed=seed)
    return outputs["images" if "images" in outputs else generator.output_names[0]]


def write_images(
    model_path,
    output_dir,
    num_images,
    labels=None,
    seed=0,
    graph=None,
    device="auto",
    truncation=None,
    chunk=inference.DEFAULT_BATCH_SIZE,
):
    """Writes `num_images` generated images as single PNG files: a synthetic dataset.

    Files are `00000.png`, `00001.png`, ...; a conditional model's carry their class,
    `00000_label3.png`, cycling through the classes (or through `labels`). Image i is the one
    `sample_grid` draws at position i for the same seed and `num_images`. `chunk` images are
    generated at a time, so memory stays bounded for any `num_images`.

    Args:
        model_path: See `load_generator`.
        output_dir: The folder to write (created).
        num_images: How many images.
        labels: See `label_inputs`.
        seed: Seed of the noise.
        graph: See `load_generator`.
        device: See `load_generator`.
        truncation: See `sample_inputs`.
        chunk: Images generated and written at a time.

    Returns:
        The paths written, in order.
    """
    generator = load_generator(model_path, graph=graph, device=device)
    inputs = sample_inputs(generator, model_path, num_images, labels, seed, truncation)
    label_specs = [s for s in generator.input_specs if s.is_integer and s.num_classes is not None]
    for spec in label_specs:
        inputs.setdefault(spec.name, (np.arange(num_images) % spec.num_classes).astype(spec.dtype))
    noise_specs = [spec for spec in generator.input_specs if spec.is_noise]
    for spec in noise_specs:
        # Drawn whole, then sliced: chunks see the noise one call of `generate` would.
        inputs.setdefault(spec.name, inference.draw_noise(spec, num_images, seed))
    paths = []
    for start in range(0, num_images, chunk):
        part = {name: value[start : start + chunk] for name, value in inputs.items()}
        count = min(chunk, num_images - start)
        images = images_lib.to_uint8(_images(generator, part, seed, count))
        for offset, image in enumerate(images):
            index = start + offset
            suffix = f"_label{int(part[label_specs[0].name][offset])}" if label_specs else ""
            paths.append(os.path.join(output_dir, f"{index:05d}{suffix}.png"))
            images_lib.write_png(paths[-1], image)
    return paths


def _has_noise(input_specs):
    return any(spec.is_noise for spec in input_specs)


def interpolation_grid(
    model_path,
    output,
    steps,
    rows=4,
    labels=None,
    seed=0,
    end_seed=None,
    graph=None,
    device="auto",
    gif=None,
    duration_ms=200,
):
    """Writes a PNG grid of `rows` latent walks of `steps` images, and an animated GIF of them.

    Row r walks from the noise `seed` draws for image r to the noise `end_seed` draws for it
    (spherical interpolation, `keras_gans.interpolation`), fed as explicit noise through the
    generator's `generate`: its first column is the grid `sample_grid(num_images=rows,
    seed=seed)` draws, its last the one `end_seed` draws. Labels stay fixed along a row.

    Args:
        model_path: See `load_generator`; a `.keras` model with several graphs uses its first
            with a noise input unless `graph` names one.
        output: The PNG path.
        steps: Images per walk, both ends included (>= 2).
        rows: Number of walks.
        labels: Class labels of the rows, repeated in turn; default row r has class r mod K.
        seed: Seed of the walks' starts.
        end_seed: Seed of their ends; default `seed + 1`.
        graph: See `load_generator`.
        device: See `load_generator`.
        gif: The animated GIF's path (frame k: every walk's step k); default `output` with a
            `.gif` ending.
        duration_ms: Time each frame shows.

    Returns:
        `(grid, frames)`: the `[rows * H, steps * W, C]` uint8 grid and the `[steps, h, w, C]`
        frames (each a near-square grid of the rows' images), as written.

    Raises:
        ValueError: On `steps < 2`, a model without a noise input (naming it), or bad labels.
    """
    interpolation.check_steps(steps)
    generator = load_generator(model_path, graph=graph, device=device, prefer=_has_noise)
    name = generator.metadata.get("model_class") or os.path.basename(os.path.normpath(model_path))
    inputs = interpolation.interpolation_inputs(
        generator.input_specs,
        rows,
        steps,
        seed=seed,
        end_seed=end_seed,
        fixed=label_inputs(generator.input_specs, rows, labels),
        model_name=name,
    )
    outputs = generator.generate(inputs)
    images = outputs["images" if "images" in outputs else generator.output_names[0]]
    grid, frames = interpolation.interpolation_frames(images, rows, steps)
    images_lib.write_png(output, grid)
    images_lib.write_gif(gif or os.path.splitext(output)[0] + ".gif", frames, duration_ms)
    return grid, frames
