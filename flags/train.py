"""`keras-gans-train`: absl flags -> `TrainConfig` -> `keras_gans.training.train`.

With no flags it trains the CGAN on the bundled scikit-learn digits. Presets live beside each model
(`keras_gans/models/<model>/presets.py`): `keras-gans-train --preset=dcgan_paper` trains one, and
`--model=dcgan` alone trains that model's default preset. Flags left unset take the preset's
values; `--dry_run` prints the result. absl's `--flagfile=FILE` still reads flags from a file.
"""

import dataclasses
import json
import os

# TensorFlow's C++ start-up chatter (cuInit on machines without a GPU, oneDNN notes) hides the
# progress bar; users who want it set the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402
from absl import logging as absl_logging  # noqa: E402

from keras_gans.data import batching  # noqa: E402
from keras_gans.data.images import RESIZE_MODES  # noqa: E402
from keras_gans.flags.common import fail, set_inter_op_threads, user_errors  # noqa: E402
from keras_gans.losses import LOSS_KINDS  # noqa: E402
from keras_gans.metrics.compare import summary_line  # noqa: E402
from keras_gans.models.cgan.model import ARCHITECTURES  # noqa: E402
from keras_gans.registry import model_names, preset_names, spec_of_preset  # noqa: E402
from keras_gans.training import STRATEGIES, TrainConfig, train  # noqa: E402
from keras_gans.training.config import PRECISIONS  # noqa: E402

PROGRAM = "keras-gans-train"
DATASET_FORMS = (
    "digits",
    "tfds:NAME[:SPLIT]",
    "folder:PATH",
    "faces",
    "textures",
    "folders:PATH_A,PATH_B",
)

flags.DEFINE_enum(
    "model", "cgan", model_names(), "Which GAN to train (default: the --preset's model, else cgan)."
)
flags.DEFINE_enum(
    "preset",
    None,
    preset_names(),
    "Named settings of the model (keras_gans/models/<model>/presets.py); flags given override them "
    "(default: the model's first preset).",
)
flags.DEFINE_string(
    "dataset",
    None,
    f"Training data: one of {', '.join(DATASET_FORMS)} (default: the model's preset).",
)
flags.DEFINE_integer(
    "epochs", None, "Passes over the data (default: the model's preset).", lower_bound=1
)
flags.DEFINE_integer(
    "batch_size", None, "Global batch size, split over the replicas.", lower_bound=1
)
flags.DEFINE_integer("latent_dim", None, "Size of the generator's noise input.", lower_bound=1)
flags.DEFINE_integer("image_size", None, "Square training resolution in pixels.", lower_bound=1)
flags.DEFINE_enum("channels", None, ["1", "3"], "Image channels.")
flags.DEFINE_integer(
    "base_filters", None, "Width of the first convolution (DCGAN, conv CGAN).", lower_bound=1
)
flags.DEFINE_enum(
    "architecture", None, ARCHITECTURES, "CGAN's networks (default: mlp, the paper's)."
)
flags.DEFINE_integer("levels", None, "Pyramid levels, one GAN each (LAPGAN).", lower_bound=1)
flags.DEFINE_boolean("conditional", None, "Condition every level on the class labels (LAPGAN).")
flags.DEFINE_integer(
    "coarse_units",
    None,
    "Width of the coarsest level's MLPs: G two layers of it, D half and a quarter (LAPGAN).",
    lower_bound=4,
)
flags.DEFINE_string(
    "augment",
    None,
    "DiffAugment before the discriminator: any of color,translation,cutout, comma-separated "
    "(every model; default: the model's preset; --augment= for none).",
)
flags.DEFINE_float(
    "instance_noise",
    None,
    "Standard deviation of Gaussian pixel noise on every image the discriminator sees, after "
    "--augment (every model; default: the model's preset, else 0).",
)
flags.DEFINE_enum(
    "resize",
    "crop",
    RESIZE_MODES,
    "How folder images that are not square become square: crop (the centred square) or stretch.",
)
flags.DEFINE_string("output_dir", None, "Run folder (default: runs/<model>).")
flags.DEFINE_string(
    "init_from",
    None,
    "Start from the generator and discriminator weights of this run folder (same networks; "
    "optimizers start fresh).",
)
flags.DEFINE_integer("seed", 0, "Seed of weights, noise and shuffling.")
flags.DEFINE_boolean(
    "deterministic", False, "TensorFlow op determinism: the same flags give identical weights."
)
flags.DEFINE_enum(
    "strategy",
    "default",
    STRATEGIES,
    "default: one device; mirrored: all local devices; multiworker: the cluster in TF_CONFIG.",
)
flags.DEFINE_float(
    "learning_rate",
    None,
    "Adam learning rate of both players (default: the model's preset, else 2e-4).",
)
flags.DEFINE_float(
    "beta_1", None, "Adam beta_1 of both players (default: the model's preset, else 0.5)."
)
flags.DEFINE_float(
    "beta_2", None, "Adam beta_2 of both players (default: the model's preset, else 0.999)."
)
flags.DEFINE_enum(
    "loss", None, LOSS_KINDS, "Adversarial loss (default: the model's preset, else non_saturating)."
)
flags.DEFINE_integer("steps_per_epoch", None, "Cap on batches per epoch.", lower_bound=1)
flags.DEFINE_integer(
    "stage",
    None,
    "StackGAN: 1 trains Stage I; 2 trains Stage II on a trained Stage I.",
    lower_bound=1,
    upper_bound=2,
)
flags.DEFINE_string(
    "stage1_model",
    None,
    "StackGAN --stage=2: the Stage I model.keras (default runs/stackgan/model.keras).",
)
flags.DEFINE_integer(
    "condition_dim", None, "StackGAN: size of the Conditioning Augmentation code.", lower_bound=1
)
flags.DEFINE_float(
    "kl_weight",
    None,
    "StackGAN: weight of the Conditioning Augmentation's KL term (paper 2.0).",
    lower_bound=0.0,
)
flags.DEFINE_integer(
    "minibatch_std",
    None,
    "StackGAN: group size of the discriminators' minibatch standard deviation feature.",
    lower_bound=2,
)
flags.DEFINE_integer(
    "stage2_epochs",
    None,
    "StackGAN: epochs of a --stage=2 run (default --epochs).",
    lower_bound=1,
)
flags.DEFINE_boolean(
    "refine",
    None,
    "StackGAN Stage II: correct the upsampled Stage-I image instead of drawing a new one.",
)
flags.DEFINE_integer(
    "residual_blocks",
    None,
    "CycleGAN: residual blocks per generator (6 or 9); StackGAN: Stage II's (4).",
    lower_bound=1,
)
flags.DEFINE_integer(
    "decay_epochs",
    None,
    "CycleGAN: decay the learning rate linearly to 0 over the last N epochs (default: half the "
    "epochs).",
    lower_bound=0,
)
flags.DEFINE_enum(
    "precision",
    "float32",
    PRECISIONS,
    "Compute precision; mixed_bfloat16 is fast on CPUs with bf16 units. Exports stay float32.",
)
flags.DEFINE_boolean(
    "jit_compile", None, "Compile the train step with XLA (default: the preset's, else false)."
)
flags.DEFINE_string(
    "steps_per_execution",
    None,
    "Train steps per call into the compiled step: a number that divides the steps per epoch, or "
    "'epoch' for one call per epoch (default: the preset's, else 1).",
)
flags.DEFINE_integer(
    "inter_op_threads",
    None,
    "TensorFlow ops run at once (default: 1 for an XLA step on one CPU device, which a second "
    "one slowed to one core's speed in some processes; else TensorFlow's choice); 0 for "
    "TensorFlow's choice.",
    lower_bound=0,
)
flags.DEFINE_float(
    "ema_decay", None, "Average the generator's weights with this decay (e.g. 0.999)."
)
flags.DEFINE_integer(
    "sample_every",
    None,
    "Write a sample grid every N epochs (default: about ten per run).",
    lower_bound=1,
)
flags.DEFINE_float(
    "checkpoint_seconds",
    30.0,
    "Checkpoint after an epoch once N seconds have passed since the last (and after the last "
    "epoch); 0 checkpoints every epoch.",
    lower_bound=0.0,
)
flags.DEFINE_boolean("export", True, "Export the generators to SavedModel and ONNX at the end.")
flags.DEFINE_boolean(
    "evaluate",
    True,
    "Evaluate the trained generator at the end (as keras-gans-eval; into metrics.json). Runs on "
    "data without a reference classifier skip it. The first evaluation trains and caches the "
    "classifier.",
)
flags.DEFINE_integer(
    "eval_samples",
    None,
    "Images per set of that evaluation (default: 896 digits, 500 texture crops, a folder's "
    "smaller held-out half).",
    lower_bound=2,
)
flags.DEFINE_string(
    "inception_graph",
    None,
    "Runs on folder:/folders:: TTUR's classify_image_graph_def.pb, for standard FID/KID at the "
    "end (never downloaded; default: download-free random-convolution features).",
)
flags.DEFINE_string(
    "inception_sha256", None, "The sha256 --inception_graph must have (checked before training)."
)
flags.DEFINE_integer("verbose", 1, "0 silent, 1 progress bar, 2 one line per epoch.")
flags.DEFINE_boolean("dry_run", False, "Print the resolved config (the preset filled in) and exit.")


def _valid_dataset(value):
    # The data sources' own grammar; whether the model reads that kind is checked by train().
    return value is None or batching.parse_any_spec(value) is not None


flags.register_validator(
    "dataset", _valid_dataset, message=f"--dataset must be one of {', '.join(DATASET_FORMS)}."
)


def config_from_flags(values):
    """The `TrainConfig` the parsed flags describe."""
    fields = {field.name for field in dataclasses.fields(TrainConfig)}
    kwargs = {name: values[name].value for name in fields}
    if kwargs["preset"] is not None and not values["model"].present:
        kwargs["model"] = spec_of_preset(kwargs["preset"]).name
    if kwargs["channels"] is not None:
        kwargs["channels"] = int(kwargs["channels"])
    execution = kwargs["steps_per_execution"]
    if execution is not None and execution.strip().lstrip("-").isdigit():
        kwargs["steps_per_execution"] = int(execution)
    return TrainConfig(**kwargs)


def main(argv):
    if len(argv) > 1:
        fail(PROGRAM, f"unexpected arguments {argv[1:]}; every option is a --flag.")
    if not flags.FLAGS["verbosity"].present:
        absl_logging.set_verbosity(absl_logging.WARNING)  # checkpoint INFO lines drown the bar
    with user_errors(PROGRAM):
        config = config_from_flags(flags.FLAGS)
        if flags.FLAGS.dry_run:
            print(json.dumps(dataclasses.asdict(config.resolved()), indent=2, sort_keys=True))
            return
        set_inter_op_threads(
            flags.FLAGS.inter_op_threads, config.strategy, config.resolved().jit_compile
        )
        result = train(config)
    print(f"Run folder: {result.output_dir}")
    for name, path in result.files.items():
        print(f"  {name}: {path}")
    if result.evaluation is not None:
        print(f"Evaluation: {summary_line(result.evaluation)}")


def run():
    """Console-script entry point."""
    app.run(main)


if __name__ == "__main__":
    run()
