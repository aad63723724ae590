"""`keras-gans-sample`: write a PNG grid of generated images.

    keras-gans-sample --model_path=runs/cgan/export/generator/1/model.onnx --output=grid.png \
        --num_images=16 --labels=0,1,2 --seed=0

A latent walk (Radford et al. 2015, Section 6): `--interpolate=N` writes `--rows` rows of N
images from the `--seed` noise to the `--seed + 1` noise (spherical interpolation), labels fixed
per row, as a PNG grid and an animated GIF beside it:

    keras-gans-sample --model_path=runs/dcgan --interpolate=8 --rows=4 --output=walk.png

`--output_dir=DIR` writes the `--num_images` images as single PNG files instead of a grid (a
synthetic dataset: `00000.png`, ..., or `00000_label3.png` for conditional models, the labels
cycling). `--truncation=PSI` redraws every noise value with |z| > PSI (the truncation trick):

    keras-gans-sample --model_path=runs/dcgan --num_images=10000 --output_dir=fake --truncation=0.7

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
flags.DEFINE_integer("num_images", 16, "Number of images in the grid (or files in --output_dir).")
flags.DEFINE_string(
    "output_dir",
    None,
    "Write the images as single PNG files (00000.png, or 00000_label3.png) here, not a grid.",
)
flags.DEFINE_float(
    "truncation",
    None,
    "Truncation trick: redraw noise values with |z| above this (> 0) until inside.",
)
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
        if FLAGS.output_dir is not None:
            write_files()
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
            truncation=FLAGS.truncation,
        )
    print(f"wrote {FLAGS.output} ({grid.shape[1]}x{grid.shape[0]})")


def write_files():
    """`--output_dir`: one PNG file per image."""
    for name in ("output", "rows"):
        if FLAGS[name].present:
            raise ValueError(f"--{name} does not apply with --output_dir: each image is a file.")
    paths = sampler.write_images(
        FLAGS.model_path,
        FLAGS.output_dir,
        FLAGS.num_images,
        labels=parse_labels(FLAGS.labels),
        seed=FLAGS.seed,
        graph=FLAGS.graph,
        device=FLAGS.device,
        truncation=FLAGS.truncation,
    )
    print(f"wrote {len(paths)} images to {FLAGS.output_dir} ({os.path.basename(paths[0])} ...)")


def walk(steps):
    """`--interpolate=steps`: the grid of walks and its GIF."""
    for name in ("output_dir", "truncation"):
        if FLAGS[name].present:
            raise ValueError(f"--{name} does not apply with --interpolate.")
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
