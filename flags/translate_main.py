"""`keras-gans-translate`: translate photos of any size with an exported CycleGAN translator.

    keras-gans-translate --model_path=runs/cyclegan/export/a_to_b/1/model.onnx \
        --input=photos/ --output=translated/
    keras-gans-translate --model_path=runs/cyclegan/export --direction=b_to_a \
        --input=zebra.jpg --output=translated/

`--model_path` is a SavedModel folder, an `.onnx` file, or an export folder holding `a_to_b/` and
`b_to_a/` (then `--direction` picks one). Each PNG or JPEG image of `--input` (a file or a folder)
is translated at its own size and written to `--output` as `<stem>.png`. Bad input prints one
`keras-gans-translate: error: ...` line and exits with status 2.
"""

import os

# TensorFlow's C++ start-up chatter hides the one line that matters.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

from keras_gans.flags.common import fail, user_errors  # noqa: E402

PROGRAM = "keras-gans-translate"

FLAGS = flags.FLAGS

flags.DEFINE_string(
    "model_path", None, "A SavedModel folder, an .onnx file or an export folder (a_to_b/, b_to_a/)."
)
flags.DEFINE_string("input", None, "An image file (PNG, JPEG) or a folder of them.")
flags.DEFINE_string("output", None, "Folder to write the translations to, <stem>.png each.")
flags.DEFINE_enum(
    "direction", None, ["a_to_b", "b_to_a"], "Which translator of an export folder holding both."
)
flags.DEFINE_enum("device", "auto", ["auto", "cpu", "cuda"], "ONNX Runtime device for .onnx files.")


def main(argv):
    if len(argv) > 1:
        fail(PROGRAM, f"unexpected arguments {argv[1:]}; every option is a --flag.")
    # Imported after flag parsing so that --help answers without loading TensorFlow.
    from keras_gans.export import translate

    with user_errors(PROGRAM):
        for name in ("model_path", "input", "output"):
            if not FLAGS[name].value:
                raise ValueError(f"--{name} is required; received {FLAGS[name].value!r}.")
        paths = translate.translate_files(
            translate.TranslateConfig(
                model_path=FLAGS.model_path,
                input=FLAGS.input,
                output=FLAGS.output,
                direction=FLAGS.direction,
                device=FLAGS.device,
            )
        )
    print(f"wrote {len(paths)} images to {FLAGS.output}")


def run():
    """Console-script entry point."""
    app.run(main)


if __name__ == "__main__":
    run()
