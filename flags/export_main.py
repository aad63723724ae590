"""`keras-gans-export`: export a training run's model to SavedModel and ONNX, verified.

    keras-gans-export --run_dir=runs/dcgan --formats=saved_model,onnx [--uint8] [--version=3]

Reads `<run_dir>/model.keras`, writes `<run_dir>/export/<graph>/<version>/` and `models.config`.
Bad input prints one `keras-gans-export: error: ...` line and exits with status 2.
"""

import os

# TensorFlow's C++ start-up chatter hides the one line that matters.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags, logging  # noqa: E402

from keras_gans.export import exporter, run_dir  # noqa: E402
from keras_gans.flags.common import fail, user_errors  # noqa: E402

PROGRAM = "keras-gans-export"

FLAGS = flags.FLAGS

flags.DEFINE_string("run_dir", None, "Training run folder holding model.keras.")
flags.DEFINE_list("formats", ["saved_model", "onnx"], "Export formats: saved_model, onnx.")
flags.DEFINE_bool(
    "uint8", False, "Graphs return uint8 images in [0, 255] instead of floats in [-1, 1]."
)
flags.DEFINE_integer("version", None, "Version to write; default the next free integer.")
flags.DEFINE_integer("opset", 17, "ONNX opset (17 or newer).")
flags.DEFINE_enum(
    "onnx_target",
    "cpu",
    ["cpu", "cuda"],
    "ONNX Runtime provider the ONNX graph is tuned for (both run anywhere, with the same outputs).",
)


def main(argv):
    if len(argv) > 1:
        fail(PROGRAM, f"unexpected arguments {argv[1:]}; every option is a --flag.")
    with user_errors(PROGRAM):
        if not FLAGS.run_dir:
            raise ValueError("--run_dir is required (the training run folder holding model.keras).")
        result = run_dir.export_run(
            FLAGS.run_dir,
            formats=exporter.check_formats(FLAGS.formats),
            uint8=FLAGS.uint8,
            version=FLAGS.version,
            opset=FLAGS.opset,
            onnx_target=FLAGS.onnx_target,
        )
    for name, paths in result.paths.items():
        for fmt, path in paths.items():
            logging.info("%s %s: %s", name, fmt, path)
        for report in result.parity[name]:
            logging.info("%s parity: %s", name, report)
    print(
        f"exported version {result.version}: "
        + ", ".join(f"{name} ({', '.join(paths)})" for name, paths in result.paths.items())
    )


def run():
    app.run(main)


if __name__ == "__main__":
    run()
