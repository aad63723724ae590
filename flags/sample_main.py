"""`keras-gans-sample`: write a PNG grid of generated images.

    keras-gans-sample --model_path=runs/cgan/export/generator/1/model.onnx --output=grid.png \
        --num_images=16 --labels=0,1,2 --seed=0

A latent walk (Radford et al. 2015, Section 6): `--interpolate=N` writes `--rows` rows of N
images from the `--seed` noise to the `--seed + 1` noise (spherical interpolation), labels fixed
per row, as a PNG grid and an animated GIF beside it:

    keras-gans-sample --model_path=runs/dcgan --interpolate=8 --rows=4 --output=walk.png

`--model_path` is a `.keras` file, a SavedModel folder, a training run folder or an `.onnx` file.
Bad input prints one `keras-gans-sample: error: ...` line and exits with status 2.
"""

import os

# TensorFlow's C++ start-up chatter hides the one line that matters.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

from keras_gans.export import sampler  # noqa: E402
from keras_gans.flags.common import fail, user_errors  # noqa: E402

PROGRAM = "keras-gans-sample"

FLAGS = flags.FLAGS

flags.DEFINE_string(
    "model_path", None, "A .keras file, a SavedModel folder, a run folder or an .onnx file."
)
flags.DEFINE_string("output", "grid.png", "PNG file to write.")
flags.DEFINE_integer("num_images", 16, "Number of images in the grid.")
flags.DEFINE_list("labels", None, "Class labels for conditional models, repeated in turn.")
# numpy seeds the noise, and its seeds are >= 0.
flags.DEFINE_integer("seed", 0, "Seed of the noise.", lower_bound=0)
flags.DEFINE_integer("rows", None, "Grid rows; default near-square (4 walks with --interpolate).")
flags.DEFINE_integer(
    "interpolate",
    None,
    "Write latent walks of this many steps (>= 2): --rows rows from the --seed noise to the "
    "--seed + 1 noise, plus an animated GIF beside --output.",
)
flags.DEFINE_string("graph", None, "Graph of a .keras model with several (e.g. a_to_b).")
flags.DEFINE_enum("device", "auto", ["auto", "cpu", "cuda"], "ONNX Runtime device for .onnx files.")


def parse_labels(values):
    """`["0", "1"]` to `[0, 1]`; None stays None."""
    if values is None:
        return None
    try:
        return [int(v) for v in values]
    except ValueError:
        joined = ",".join(values)
        raise ValueError(
            f"--labels must be comma-separated integers; received {joined!r}."
        ) from None


def main(argv):
    if len(argv) > 1:
        fail(PROGRAM, f"unexpected arguments {argv[1:]}; every option is a --flag.")
    with user_errors(PROGRAM):
        if not FLAGS.model_path:
            raise ValueError(
                "--model_path is required (a .keras file, a SavedModel folder or an .onnx file)."
            )
        if FLAGS.interpolate is not None:
            walk(FLAGS.interpolate)
            return
        grid = sampler.sample_grid(
            FLAGS.model_path,
            FLAGS.output,
            num_images=FLAGS.num_images,
            labels=parse_labels(FLAGS.labels),
            seed=FLAGS.seed,
            rows=FLAGS.rows,
            graph=FLAGS.graph,
            device=FLAGS.device,
        )
    print(f"wrote {FLAGS.output} ({grid.shape[1]}x{grid.shape[0]})")


def walk(steps):
    """`--interpolate=steps`: the grid of walks and its GIF."""
    if FLAGS["num_images"].present:
        raise ValueError(
            "--num_images does not apply with --interpolate: the grid holds --rows x "
            f"{steps} images."
        )
    gif = os.path.splitext(FLAGS.output)[0] + ".gif"
    grid, frames = sampler.interpolation_grid(
        FLAGS.model_path,
        FLAGS.output,
        steps,
        rows=4 if FLAGS.rows is None else FLAGS.rows,
        labels=parse_labels(FLAGS.labels),
        seed=FLAGS.seed,
        graph=FLAGS.graph,
        device=FLAGS.device,
        gif=gif,
    )
    print(f"wrote {FLAGS.output} ({grid.shape[1]}x{grid.shape[0]})")
    print(f"wrote {gif} ({len(frames)} frames of {frames.shape[2]}x{frames.shape[1]})")


def run():
    app.run(main)


if __name__ == "__main__":
    run()
