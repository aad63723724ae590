"""The typed configuration of a training run: what the CLI's flags become."""

import dataclasses
from typing import Optional, Union

from keras_gans import registry
from keras_gans.data.images import check_resize
from keras_gans.losses import LOSS_KINDS
from keras_gans.models import augment as augment_lib
from keras_gans.models.validation import check_number_at_least_zero

STRATEGIES = ("default", "mirrored", "multiworker")
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
# `steps_per_execution` of one call per epoch, whatever its length.
EPOCH = "epoch"


def _check_integer_at_least(name, value, minimum):
    """Raises the ValueError naming `value` unless it is None or an int (not a bool) >= minimum."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < minimum
    ):
        raise ValueError(f"{name} must be an integer >= {minimum}; received {value!r}.")


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Everything a training run needs; fields left `None` take the values of the model's preset.

    Attributes:
        model: Registered model name (`keras_gans.registry.model_names()`).
        preset: Name of one of the model's presets (`keras_gans/models/<model>/presets.py`);
            default the model's default preset (the first).
        dataset: `digits`, `tfds:NAME[:SPLIT]` or `folder:PATH`; CycleGAN's unpaired data:
            `textures`, `tfds:NAME` (trainA/trainB splits) or `folders:PATH_A,PATH_B`.
        epochs: Passes over the data. Raising it on a finished or interrupted run folder
            continues that run to the new count (`keras_gans.training.resume`); what follows the
            epochs when not given (`sample_every`, `decay_epochs`) follows the new count.
        batch_size: Global batch size, split evenly over the replicas.
        latent_dim: Size of the generator's noise input.
        image_size: Square training resolution.
        channels: Image channels (1 or 3).
        base_filters: Width of the convolutional networks' first layer (DCGAN ngf/ndf; the
            LAPGAN finer levels' feature maps; CGAN's conv networks).
        architecture: CGAN's networks: `mlp` (Mirza & Osindero's; the default) or `conv`.
        levels: Pyramid levels of a LAPGAN, one GAN each (3: 8 -> 16 -> 32 at image_size 32).
        conditional: Condition every level of a LAPGAN on the dataset's class labels.
        coarse_units: Width of a LAPGAN's coarsest level, a pair of MLPs: the generator's two
            hidden layers have this many units and the discriminator's `coarse_units // 2` and
            `coarse_units // 4` (the vanilla GAN's shape). Default the paper's widths scaled by
            `base_filters` (`LAPGAN.build`).
        stage: StackGAN stage to train: 1 (Stage I from scratch) or 2 (Stage II on a trained,
            frozen Stage I); `image_size` is Stage I's resolution, Stage II trains at 4x it.
        stage1_model: StackGAN Stage II: the `.keras` file of the trained Stage I; default
            `runs/<model>/model.keras`, where a default `--stage=1` run leaves it.
        condition_dim: StackGAN: size of the Conditioning Augmentation code (paper: 128).
        kl_weight: StackGAN: weight of the Conditioning Augmentation's KL term (paper: 2.0).
        minibatch_std: StackGAN: group size of ProGAN's minibatch standard deviation feature in
            both discriminators (`keras_gans.layers.MinibatchStandardDeviation`; not in the
            paper). Each replica's batch must be a multiple of it.
        stage2_epochs: StackGAN: the epochs of a `stage=2` run, in place of `epochs` (which
            then counts Stage I's); an `epochs` given with a preset's `stage2_epochs` is kept.
        refine: StackGAN Stage II: its generator corrects the upsampled Stage-I image rather
            than drawing a new one (`keras_gans.layers.TanhRefinement`; not in the paper).
        residual_blocks: CycleGAN: residual blocks per generator (paper: 9 at 256, 6 at 128);
            StackGAN: residual blocks of the Stage-II generator (paper: 4).
        decay_epochs: CycleGAN: the last this many epochs decay the learning rate linearly to 0
            (paper: 100 of 200); default half the epochs, whatever they are. A run continued
            with more epochs then decays over the last half of the new total: from the resume
            point on, its learning rate at each step is that of a fresh run with the new epochs.
        resize: How `folder:` / `folders:` images that are not square become square: `crop`
            (the centred square, then resized; the default) or `stretch` (resized whole).
        output_dir: Run folder; default `runs/<model>`.
        init_from: Another run folder whose generator and discriminator weights this run starts
            from (fine-tuning; `keras_gans.training.warm_start`): optimizers, image pools and the
            step counter start fresh. The networks must have the same shapes; refused together
            with an `output_dir` that holds a run to resume.
        seed: Seed of weights, noise and shuffling.
        deterministic: Enable TensorFlow op determinism: two runs give identical weights.
        strategy: `default` (one device), `mirrored` (all local devices) or `multiworker`
            (TF_CONFIG).
        learning_rate: Adam learning rate of both players; default the model's preset, else 2e-4.
        beta_1: Adam beta_1 of both players; default the model's preset, else 0.5.
        beta_2: Adam beta_2 of both players; default the model's preset, else 0.999 (Keras's).
        loss: Adversarial loss kind; default the model's preset, else `non_saturating`.
        steps_per_epoch: Limit each epoch to this many batches (quick runs and tests).
        precision: `float32`, `mixed_float16` (GPUs; loss scaling in the train step) or
            `mixed_bfloat16` (CPUs with bf16 units, TPUs); exports stay float32.
        jit_compile: Compile the train step with XLA; default the model's preset, else False.
        steps_per_execution: Train steps run per call into the compiled function: a positive
            integer that divides the steps per epoch, or `"epoch"` for all of an epoch's steps in
            one call; default the model's preset, else 1.
        augment: DiffAugment transforms before the discriminator (`color,translation,cutout`, any
            subset; every model); default the model's preset, else none.
        instance_noise: Standard deviation of Gaussian pixel noise on every image the
            discriminator sees, after `augment` (every model); default the model's preset, else 0.
        ema_decay: Exponential moving average of the generator weights for samples and export.
        sample_every: Write a sample grid every this many epochs (and after the last);
            default: about ten grids per run.
        checkpoint_seconds: Checkpoint at the end of an epoch once this many seconds have passed
            since the last checkpoint (and always after the last epoch); 0 checkpoints every
            epoch. A killed run resumes exactly from its newest checkpoint either way.
        export: Export the trained generators (SavedModel and ONNX) at the end of the run.
        evaluate: Evaluate the trained generator at the end of the run (`keras_gans.metrics.
            evaluate_run`: figures beside the real baseline, merged into `metrics.json` under
            "evaluation"); runs whose model or dataset has no reference classifier skip it.
        eval_samples: Images per set of that evaluation; default the evaluator's (896 for the
            digits, 500 crops per domain for the textures; a folder's smaller held-out half).
        inception_graph: Runs on `folder:` / `folders:`: the Inception `GraphDef` of the standard
            FID/KID (TTUR's `classify_image_graph_def.pb`; never downloaded); default the
            download-free random-convolution features (`keras_gans.metrics.folder_evaluators`).
        inception_sha256: The sha256 of that file, checked before training; required with it.
        verbose: Keras progress output: 0 silent, 1 progress bar, 2 one line per epoch.
    """

    model: str = "cgan"
    preset: Optional[str] = None
    dataset: Optional[str] = None
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    latent_dim: Optional[int] = None
    image_size: Optional[int] = None
    channels: Optional[int] = None
    base_filters: Optional[int] = None
    architecture: Optional[str] = None
    levels: Optional[int] = None
    conditional: Optional[bool] = None
    coarse_units: Optional[int] = None
    stage: Optional[int] = None
    stage1_model: Optional[str] = None
    condition_dim: Optional[int] = None
    kl_weight: Optional[float] = None
    minibatch_std: Optional[int] = None
    stage2_epochs: Optional[int] = None
    refine: Optional[bool] = None
    residual_blocks: Optional[int] = None
    decay_epochs: Optional[int] = None
    resize: str = "crop"
    output_dir: Optional[str] = None
    init_from: Optional[str] = None
    seed: int = 0
    deterministic: bool = False
    strategy: str = "default"
    learning_rate: Optional[float] = None
    beta_1: Optional[float] = None
    beta_2: Optional[float] = None
    loss: Optional[str] = None
    steps_per_epoch: Optional[int] = None
    precision: str = "float32"
    jit_compile: Optional[bool] = None
    steps_per_execution: Optional[Union[int, str]] = None
    augment: Optional[str] = None
    instance_noise: Optional[float] = None
    ema_decay: Optional[float] = None
    sample_every: Optional[int] = None
    checkpoint_seconds: float = 30.0
    export: bool = True
    evaluate: bool = True
    eval_samples: Optional[int] = None
    inception_graph: Optional[str] = None
    inception_sha256: Optional[str] = None
    verbose: int = 1

    def __post_init__(self):
        if self.preset is not None and registry.spec_of_preset(self.preset).name != self.model:
            owner = registry.spec_of_preset(self.preset).name
            raise ValueError(
                f"preset {self.preset!r} is a preset of {owner}; received --model={self.model}."
            )
        # Options only some models read (their specs' `options`): another model's is a
        # contradiction.
        for name, models in registry.model_options().items():
            value = getattr(self, name)
            if value is not None and self.model not in models:
                raise ValueError(
                    f"--{name} applies to {', '.join(models)} only; received --model={self.model} "
                    f"with --{name}={value!r}."
                )
        for name in (
            "epochs",
            "stage2_epochs",
            "batch_size",
            "latent_dim",
            "image_size",
            "base_filters",
            "levels",
            "steps_per_epoch",
            "sample_every",
            "residual_blocks",
        ):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer; received {value!r}.")
        # Two images at least: the classifier score and the Frechet distance need a spread.
        _check_integer_at_least("eval_samples", self.eval_samples, 2)
        for name in ("inception_graph", "inception_sha256"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(f"{name} must be a non-empty string; received {value!r}.")
        if (self.inception_graph is None) != (self.inception_sha256 is None):
            raise ValueError(
                "inception_graph and inception_sha256 go together (nothing unchecked is loaded); "
                f"received inception_graph={self.inception_graph!r}, "
                f"inception_sha256={self.inception_sha256!r}."
            )
        if self.evaluate not in (True, False):
            raise ValueError(f"evaluate must be True or False; received {self.evaluate!r}.")
        if self.stage not in (None, 1, 2) or isinstance(self.stage, bool):
            raise ValueError(f"stage must be 1 or 2; received {self.stage!r}.")
        if self.condition_dim is not None and (
            not isinstance(self.condition_dim, int) or self.condition_dim < 1
        ):
            raise ValueError(
                f"condition_dim must be a positive integer; received {self.condition_dim!r}."
            )
        if self.kl_weight is not None:
            check_number_at_least_zero("kl_weight", self.kl_weight)
        # Four units at least: the coarsest discriminator's second layer has a quarter of them.
        _check_integer_at_least("coarse_units", self.coarse_units, 4)
        _check_integer_at_least("minibatch_std", self.minibatch_std, 2)
        if self.refine is not None and not isinstance(self.refine, bool):
            raise ValueError(f"refine must be True or False; received {self.refine!r}.")
        if self.conditional not in (None, True, False):
            raise ValueError(f"conditional must be True or False; received {self.conditional!r}.")
        if self.channels not in (None, 1, 3):
            raise ValueError(f"channels must be 1 or 3; received {self.channels!r}.")
        if self.strategy not in STRATEGIES:
            raise ValueError(
                f"strategy must be one of {', '.join(STRATEGIES)}; received {self.strategy!r}."
            )
        if self.precision not in PRECISIONS:
            raise ValueError(
                f"precision must be one of {', '.join(PRECISIONS)}; received {self.precision!r}."
            )
        execution = self.steps_per_execution
        if execution not in (None, EPOCH) and (
            isinstance(execution, bool) or not isinstance(execution, int) or execution < 1
        ):
            raise ValueError(
                f"steps_per_execution must be a positive integer or {EPOCH!r}; received "
                f"{execution!r}."
            )
        if self.jit_compile not in (None, True, False):
            raise ValueError(f"jit_compile must be True or False; received {self.jit_compile!r}.")
        check_number_at_least_zero("checkpoint_seconds", self.checkpoint_seconds)
        if self.augment is not None:
            augment_lib.parse_policy(self.augment)
        augment_lib.check_instance_noise(self.instance_noise)
        if self.ema_decay is not None and not 0.0 < self.ema_decay < 1.0:
            raise ValueError(f"ema_decay must lie in (0, 1); received {self.ema_decay!r}.")
        if self.decay_epochs is not None and (
            isinstance(self.decay_epochs, bool)
            or not isinstance(self.decay_epochs, int)
            or self.decay_epochs < 0
        ):
            raise ValueError(
                f"decay_epochs must be a non-negative integer; received {self.decay_epochs!r}."
            )
        check_resize(self.resize)
        if self.init_from is not None and (
            not isinstance(self.init_from, str) or not self.init_from
        ):
            raise ValueError(
                f"init_from must be the path of a run folder; received {self.init_from!r}."
            )
        if self.loss is not None and self.loss not in LOSS_KINDS:
            raise ValueError(
                f"loss must be one of {', '.join(LOSS_KINDS)}; received {self.loss!r}."
            )
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive; received {self.learning_rate!r}.")
        if self.beta_1 is not None and not 0 <= self.beta_1 < 1:
            raise ValueError(f"beta_1 must lie in [0, 1); received {self.beta_1!r}.")
        if self.beta_2 is not None and not 0 <= self.beta_2 < 1:
            raise ValueError(f"beta_2 must lie in [0, 1); received {self.beta_2!r}.")

    def resolved(self):
        """A copy whose `None` fields take the values of its preset (`with_defaults`), which it
        names.

        Raises:
            ValueError: If the model is not registered.
        """
        spec = registry.get_spec(self.model)
        preset = self.preset or spec.default_preset
        return dataclasses.replace(self, preset=preset).with_defaults(spec.preset(preset))

    def with_defaults(self, defaults):
        """A copy whose `None` fields take the values in `defaults` (and `output_dir` runs/<model>).

        `sample_every` and CycleGAN's `decay_epochs`, when not given, follow the resolved epochs.

        Raises:
            ValueError: If a given `decay_epochs` exceeds the epochs.
        """
        filled = {name: defaults[name] for name in defaults if getattr(self, name) is None}
        if self.output_dir is None and "output_dir" not in filled:
            # A StackGAN Stage II run keeps the Stage I run (its input) intact.
            filled["output_dir"] = f"runs/{self.model}" + ("_stage2" if self.stage == 2 else "")
        if self.loss is None and "loss" not in filled:
            filled["loss"] = "non_saturating"
        if self.learning_rate is None and "learning_rate" not in filled:
            filled["learning_rate"] = 2e-4
        if self.beta_1 is None and "beta_1" not in filled:
            filled["beta_1"] = 0.5
        if self.beta_2 is None and "beta_2" not in filled:
            filled["beta_2"] = 0.999
        if self.jit_compile is None and "jit_compile" not in filled:
            filled["jit_compile"] = False
        if self.steps_per_execution is None and "steps_per_execution" not in filled:
            filled["steps_per_execution"] = 1
        config = dataclasses.replace(self, **filled)
        # A Stage-II run trains `stage2_epochs`, unless `epochs` alone was given.
        if (
            config.stage == 2
            and config.stage2_epochs is not None
            and (self.epochs is None or self.stage2_epochs is not None)
        ):
            config = dataclasses.replace(config, epochs=config.stage2_epochs)
        if config.minibatch_std and config.batch_size % config.minibatch_std:
            raise ValueError(
                f"batch_size must be a multiple of minibatch_std (its groups); received "
                f"batch_size={config.batch_size}, minibatch_std={config.minibatch_std}."
            )
        if config.sample_every is None:
            config = dataclasses.replace(config, sample_every=max(1, config.epochs // 10))
        if config.model in registry.model_options().get("decay_epochs", ()):
            config = config._with_decay_epochs()
        return config

    def _with_decay_epochs(self):
        """Resolves CycleGAN's decay: one not given follows the epochs (the paper's second half)."""
        if self.decay_epochs is None:
            return dataclasses.replace(self, decay_epochs=self.epochs // 2)
        if self.decay_epochs > self.epochs:
            raise ValueError(
                f"decay_epochs must be at most epochs ({self.epochs}); received "
                f"{self.decay_epochs}."
            )
        return self
