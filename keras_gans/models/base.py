"""The adversarial training skeleton shared by every model in keras-gans.

One `train_step` for all GANs: update the discriminator side on the batch, then the generator side.
A subclass says only what differs: which variables form each side (`discriminator_variables`,
`generator_variables`), which generator outputs both sides share (`generator_pass`), and which
per-example loss terms each side minimises (`discriminator_losses`, `generator_losses`). The
skeleton owns the tapes, the two optimizers, loss scaling by the global batch, gradient
application, the trackers and replica-invariant noise.
"""

import keras
import tensorflow as tf

from keras_gans import losses as losses_lib
from keras_gans import registry
from keras_gans.models import augment as augment_lib
from keras_gans.models import noise as noise_lib
from keras_gans.models import precision
from keras_gans.models.deployment import Deployment
from keras_gans.models.ema import MovingAverage, moving_statistics
from keras_gans.models.generation import Generation

# Instance noise draws with seed + this * (k + 1) for the k-th tensor of a call: apart from the
# model's own seed, whose streams DiffAugment and the training noise use.
INSTANCE_NOISE_SEED_OFFSET = 1 << 32


def _in_multi_worker_mode():
    extended = tf.distribute.get_strategy().extended
    return bool(getattr(extended, "_in_multi_worker_mode", lambda: False)())


def default_optimizer():
    """Adam(2e-4, beta_1=0.5): the DCGAN setting most GAN papers reuse."""
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


class AdversarialModel(MovingAverage, Deployment, Generation, keras.Model):
    """Base class: two-player training with `model.fit` under any `tf.distribute` strategy.

    Loss terms are per-example `[B]` tensors, reduced with `tf.nn.compute_average_loss`, so every
    loss is divided by the global batch and the optimizers' cross-replica gradient sum gives the
    one-device update. Logged values are all-reduced, so they are global means on any replica count.

    Subclasses implement `discriminator_losses(batch, step)` and `generator_losses(batch, step)`,
    each returning `{term_name: [B] tensor}`; the sum of a side's terms is that side's objective.
    A subclass may also implement `generator_pass(batch, step)`: the generator pass both sides use,
    run once per step (the discriminator side updates on its outputs, then the generator side
    backpropagates through the same pass against the updated discriminator, as in dcgan.torch).
    Terms named other than `d_loss` / `g_loss` are logged under their own name as well, so a
    subclass lists them in `loss_term_names()`.

    Inference is one call for every model, `generate(inputs, num_images, seed)` (see
    `Generation`), over the deployable graphs of `inference_models()` (see `Deployment`); the
    generator side's moving average (`compile(ema_decay=...)`) is kept by `MovingAverage`.

    Args:
        seed: Integer seed of every random draw made during training (noise, pools, ...).
        augment: DiffAugment transforms applied to real and generated images before every
            discriminator call (`keras_gans.models.augment`): a comma-separated subset of
            `color,translation,cutout`, or None. Subclasses apply it with `augmented`.
        instance_noise: Standard deviation of Gaussian pixel noise added to every image the
            discriminator sees, after `augment` (`augmented`); 0 or None for none.
        **kwargs: Passed to `keras.Model` (name, dtype, ...).
    """

    def __init__(self, seed=0, augment=None, instance_noise=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = int(seed)
        self.augment = augment_lib.parse_policy(augment)
        self.instance_noise = augment_lib.check_instance_noise(instance_noise)
        self.ema_decay = None
        self._trackers = {}

    # -- Hooks for subclasses -------------------------------------------------------------------
    def discriminator_variables(self):
        """Trainable variables of the discriminator side."""
        return self.discriminator.trainable_variables

    def generator_variables(self):
        """Trainable variables of the generator side."""
        return self.generator.trainable_variables

    def generator_statistics(self):
        """Non-trainable generator-side variables that training moves: BatchNorm statistics.

        With `ema_decay` they are averaged alongside the weights, so that the averaged generator
        normalises with statistics of averaged networks rather than the live network's.
        """
        return moving_statistics(self.generator)

    def prepare_batch(self, data):
        """Turns one element of the dataset into the `dict` the loss hooks read (and validates
        it)."""
        raise NotImplementedError

    def generator_pass(self, batch, step):
        """Generator outputs both sides of this step use, as `{name: tensor}`; none by default.

        Computed once per step, before the discriminator update, and merged into the `batch` each
        loss hook receives: the discriminator side gets them with gradients stopped, the generator
        side gets them live (its tape recorded this pass). Reusing them on the generator side
        saves one generator forward per step, as dcgan.torch does.
        """
        return {}

    def discriminator_losses(self, batch, step):
        """Per-example loss terms of the discriminator side."""
        raise NotImplementedError

    def generator_losses(self, batch, step):
        """Per-example loss terms of the generator side."""
        raise NotImplementedError

    def loss_term_names(self):
        """Names of the terms logged beside `d_loss` and `g_loss`."""
        return ()

    # -- Presets --------------------------------------------------------------------------------
    @classmethod
    def from_preset(cls, preset=None, info=None, **overrides):
        """The model of a preset (`models/<model>/presets.py`) with the networks, loss and
        optimizers `keras-gans-train --preset=PRESET` trains: `keras_gans.training.build_preset`.

        Args:
            preset: A preset of this class's model or a subclass's; default this class's first.
            info: The data's `DatasetInfo` (class count, vocabulary); default the preset's data's.
            **overrides: `TrainConfig` fields replacing the preset's (`seed`, `latent_dim`...).
        """
        if preset is None:
            preset = next(
                (s.default_preset for s in registry.specs() if s.model_class is cls), None
            )
            if preset is None:
                raise ValueError(
                    f"No model is registered with class {cls.__name__}; pass a preset name."
                )
        spec = registry.spec_of_preset(preset)
        if not issubclass(spec.model_class, cls):
            raise ValueError(
                f"preset {preset!r} builds a {spec.model_class.__name__}, not a {cls.__name__}; "
                f"use {spec.model_class.__name__}.from_preset({preset!r})."
            )
        # Training builds on the models: the core reaches it through the registry's extension point.
        return registry.plugged("build_preset")(preset, info=info, **overrides)

    # -- Compilation ----------------------------------------------------------------------------
    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss="non_saturating",
        generator_loss=None,
        discriminator_loss=None,
        jit_compile=False,
        ema_decay=None,
        **kwargs,
    ):
        """Configures training.

        Args:
            d_optimizer: Optimizer of the discriminator side; default Adam(2e-4, beta_1=0.5).
            g_optimizer: Optimizer of the generator side; default Adam(2e-4, beta_1=0.5).
            loss: A kind from `keras_gans.losses.LOSS_KINDS` giving both loss functions.
            generator_loss: Overrides the generator loss: `fn(fake_outputs) -> [B]`.
            discriminator_loss: Overrides the discriminator loss: `fn(real, fake) -> [B]`.
            jit_compile: Compile the train step with XLA.
            ema_decay: If set (e.g. 0.999), keep an exponential moving average of the generator
                side's weights and BatchNorm statistics (`generator_statistics`), updated after
                every generator step; `sample`, the sample grids and export then use the averages
                (Yazici et al. 2019, https://arxiv.org/abs/1806.04498).
            **kwargs: Passed to `keras.Model.compile` (`steps_per_execution`, `run_eagerly`).

        Networks built under the `mixed_float16` policy get both optimizers wrapped in a
        `keras.optimizers.LossScaleOptimizer` (dynamic loss scaling inside `train_step`);
        `mixed_bfloat16` needs no scaling. Losses are always computed in float32.
        """
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        default_g, default_d = losses_lib.get_losses(loss)
        self.generator_loss_fn = generator_loss or default_g
        self.discriminator_loss_fn = discriminator_loss or default_d
        self._compile_args = {
            "loss": loss,
            "jit_compile": jit_compile,
            "ema_decay": ema_decay,
            "custom_losses": generator_loss is not None or discriminator_loss is not None,
        }
        self.d_optimizer = self._maybe_loss_scaled(d_optimizer or default_optimizer())
        self.g_optimizer = self._maybe_loss_scaled(g_optimizer or default_optimizer())
        if ema_decay is not None and not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must lie in (0, 1); received {ema_decay!r}.")
        self.ema_decay = ema_decay
        # Optimizer slots must exist before fit traces the step under a strategy.
        with self.distribute_strategy.scope():
            self.d_optimizer.build(self.discriminator_variables())
            self.g_optimizer.build(self.generator_variables())
            names = ("d_loss", "g_loss") + tuple(self.loss_term_names())
            self._trackers = {name: keras.metrics.Mean(name=name) for name in names}
            if ema_decay is not None and not getattr(self, "_ema_weights", None):
                self._add_ema_weights()

    def get_compile_config(self):
        # Custom loss callables cannot be stored; such a model is compiled again after loading.
        if not self.compiled or self._compile_args["custom_losses"]:
            return None
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "loss": self._compile_args["loss"],
            "jit_compile": self._compile_args["jit_compile"],
            "ema_decay": self._compile_args["ema_decay"],
        }

    def compile_from_config(self, config):
        self.compile(
            d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
            g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
            loss=config["loss"],
            jit_compile=config["jit_compile"],
            ema_decay=config.get("ema_decay"),
        )

    def _maybe_loss_scaled(self, optimizer):
        policy = getattr(self.generator_side_policy(), "name", None)
        if policy == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            return keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def generator_side_policy(self):
        """The dtype policy the networks were built with (decides loss scaling)."""
        return self.generator.dtype_policy

    def optimizers(self):
        """Both players' optimizers by name (for checkpoints)."""
        return {"d_optimizer": self.d_optimizer, "g_optimizer": self.g_optimizer}

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras's TF trainer probes a first batch to build unbuilt state; here the networks are
        # built at construction and the optimizers and trackers in `compile`, so there is
        # nothing to build. Skipping the probe also lets `fit` take a `DistributedDataset` of
        # dict batches (multi-worker input), whose probe `strategy.reduce` cannot handle.
        return

    @property
    def metrics(self):
        return list(self._trackers.values())

    # -- Training -------------------------------------------------------------------------------
    def train_step(self, data):
        batch = self.prepare_batch(data)
        # One step counter keys all noise of this step; it lives in the (checkpointed) optimizer.
        step = tf.identity(self.d_optimizer.iterations)
        # The generator side's tape records the shared forward pass now and resumes for its loss
        # after the discriminator update; the discriminator side sees the outputs as constants.
        generator_tape = tf.GradientTape()
        with generator_tape:
            shared = self.generator_pass(batch, step)
        stopped = {name: tf.stop_gradient(value) for name, value in shared.items()}
        logged = {}
        logged.update(
            self._update_side(
                "d_loss",
                self.d_optimizer,
                self.discriminator_variables(),
                lambda: self.discriminator_losses({**batch, **stopped}, step),
            )
        )
        logged.update(
            self._update_side(
                "g_loss",
                self.g_optimizer,
                self.generator_variables(),
                lambda: self.generator_losses({**batch, **shared}, step),
                tape=generator_tape,
            )
        )
        if self.ema_decay is not None:
            self._update_ema()
        return self._record(logged)

    def _update_side(self, total_name, optimizer, variables, loss_fn, tape=None):
        tape = tape or tf.GradientTape()
        with tape:
            terms = loss_fn()
            scaled = {name: tf.nn.compute_average_loss(value) for name, value in terms.items()}
            total = tf.add_n(list(scaled.values()))
            scaled_for_gradients = optimizer.scale_loss(total)
        gradients = tape.gradient(scaled_for_gradients, variables)
        # Sparse (embedding) gradients differ in size per replica, which breaks the packed
        # cross-replica all-reduce; dense ones are small here.
        gradients = [
            tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in gradients
        ]
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            gradients = precision.non_finite_everywhere_if_anywhere(optimizer, gradients)
        optimizer.apply_gradients(zip(gradients, variables))
        scaled[total_name] = total
        return scaled

    def _record(self, replica_shares):
        names = [name for name in replica_shares if name in self._trackers]
        values = tf.stack([replica_shares[name] for name in names])
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            # Each replica holds its share of the global mean; their sum is the global mean.
            values = context.all_reduce(tf.distribute.ReduceOp.SUM, values)
        for index, name in enumerate(names):
            self._trackers[name].update_state(values[index])
        logs = {name: tracker.result() for name, tracker in self._trackers.items()}
        if _in_multi_worker_mode():
            # Keras reduces multi-worker logs with `strategy.reduce(MEAN, axis=0)`, which needs
            # an axis: give each value one; the reduction returns the scalar again.
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    # -- Randomness -----------------------------------------------------------------------------
    def normal(self, per_replica_batch, feature_shape, step, stream):
        """Standard normal draws for this replica's examples; equal on any replica count."""
        return noise_lib.replica_normal(per_replica_batch, feature_shape, self.seed, step, stream)

    def uniform(self, per_replica_batch, feature_shape, step, stream):
        """Uniform [0, 1) draws for this replica's examples; equal on any replica count."""
        return noise_lib.replica_uniform(per_replica_batch, feature_shape, self.seed, step, stream)

    def augmented(self, images, step, stream):
        """`images` after this model's DiffAugment policy, then its instance noise (unchanged
        without either).

        `images` is one `[B, H, W, C]` tensor or a list of such tensors of the same examples
        (e.g. an image and its conditioning image), which then all get the same transform and
        each its own noise. Each discriminator call takes its own `stream`: the draws are keyed
        like the noise, so 1 and N replicas augment every example alike.
        """
        tensors = list(images) if isinstance(images, (list, tuple)) else [images]
        batch = tf.shape(tensors[0])[0]
        if self.augment:
            draws = self.uniform(batch, [augment_lib.num_draws(self.augment)], step, stream)
            tensors = [augment_lib.diff_augment(t, draws, self.augment) for t in tensors]
        if self.instance_noise:
            tensors = [
                augment_lib.with_instance_noise(
                    t,
                    self.instance_noise,
                    # Its own seed: the stream's uniform draws above share (step, stream).
                    noise_lib.replica_normal(
                        batch,
                        tf.shape(t)[1:],
                        self.seed + INSTANCE_NOISE_SEED_OFFSET * (k + 1),
                        step,
                        stream,
                    ),
                )
                for k, t in enumerate(tensors)
            ]
        return tensors if isinstance(images, (list, tuple)) else tensors[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "seed": self.seed,
                "augment": ",".join(self.augment) or None,
                "instance_noise": self.instance_noise,
            }
        )
        return config
