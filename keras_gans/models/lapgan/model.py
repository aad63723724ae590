"""The LAPGAN training model (Denton et al. 2015, https://arxiv.org/abs/1506.05751)."""

import keras
import numpy as np
import tensorflow as tf

from keras_gans import inference
from keras_gans.layers.pyramid import (
    GaussianDownsample2D,
    GaussianUpsample2D,
    gaussian_pyramid,
    level_shapes_for,
)
from keras_gans.models import validation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.ema import moving_statistics
from keras_gans.models.lapgan.chain import build_sampling_chain
from keras_gans.models.lapgan.networks import build_level_networks

# Streams of one training step: level k draws its noise from 2k (D side) and 2k + 1 (G side),
# and its augmentation from AUGMENT_STREAMS + 3k + (0 real, 1 fake, 2 generator side).
AUGMENT_STREAMS = 32
AUGMENT_REAL, AUGMENT_FAKE, AUGMENT_G = 0, 1, 2


@keras.saving.register_keras_serializable(package="keras_gans")
class LAPGAN(AdversarialModel):
    """A Laplacian pyramid of GANs, one per resolution, trained together and sampled coarse to fine.

    Level 0 (the coarsest) is an ordinary GAN on the pyramid's coarsest image. Every finer level k
    is a conditional GAN: its generator maps noise z_k and the upsampled coarser image l_k to the
    band-pass residual h_k, and its discriminator judges (h_k, l_k) pairs. Each step builds the
    real Laplacian pyramid of the batch and trains every level on it; the levels share no weights,
    so the summed objective of each side trains them independently, as in the paper. With
    `num_classes`, every network of every level also sees the class label.

    Logged: `d_loss` and `g_loss` (sums over levels) and `d_loss_<k>`, `g_loss_<k>` per level,
    level 0 being the coarsest.

    Args:
        generators: Level generators, coarse to fine: level 0 maps `noise` (and `labels`) to
            images; level k > 0 maps `[noise [B, H_k, W_k, 1], coarse [B, H_k, W_k, C], labels?]`
            to a residual `[B, H_k, W_k, C]`. Each level is twice the size of the previous.
        discriminators: Level discriminators: level 0 takes `images` (and `labels`); level k > 0
            takes `[residual, coarse, labels?]`; each returns logits.
        num_classes: Number of classes of class-conditional levels; None for unconditional.
        downsample_taps: Taps of the pyramid's `GaussianDownsample2D`.
        upsample_taps: Taps of the pyramid's (and the sampler's) `GaussianUpsample2D`.
        seed: Seed of the training noise.
        augment: DiffAugment transforms applied to every level discriminator's images, real and
            generated (`AdversarialModel`; see `_discriminate`), or None.
        **kwargs: Passed to `keras.Model`.

    Example::

        lapgan = LAPGAN.build(image_shape=(32, 32, 3), levels=3)  # 8 -> 16 -> 32
        lapgan.compile()
        lapgan.fit(dataset)
        images = lapgan.sample(16)
        sampler = lapgan.inference_models()["sampler"]  # noise_0, noise_1, noise_2 -> images
    """

    def __init__(
        self,
        generators,
        discriminators,
        num_classes=None,
        downsample_taps=4,
        upsample_taps=3,
        seed=0,
        augment=None,
        **kwargs,
    ):
        super().__init__(seed=seed, augment=augment, **kwargs)
        generators, discriminators = list(generators), list(discriminators)
        if not generators or len(generators) != len(discriminators):
            raise ValueError(
                "LAPGAN needs one discriminator per generator and at least one level; received "
                f"{len(generators)} generator(s) and {len(discriminators)} discriminator(s)."
            )
        self.generators = generators
        self.discriminators = discriminators
        self.num_classes = None if num_classes is None else int(num_classes)
        self.levels = len(generators)
        self.level_shapes = [tuple(int(d) for d in g.outputs[0].shape[1:]) for g in generators]
        self.noise_shapes = [tuple(int(d) for d in g.inputs[0].shape[1:]) for g in generators]
        self.latent_dim = self.noise_shapes[0][0]
        self.image_shape = self.level_shapes[-1]
        expected = level_shapes_for(self.image_shape, self.levels)
        if self.level_shapes != expected:
            raise ValueError(
                f"Level generators must output {expected} (coarse to fine, each twice the "
                f"previous); received {self.level_shapes}."
            )
        # Float32 under a mixed policy: the real pyramid's residuals are the levels' targets.
        self.downsample = GaussianDownsample2D(downsample_taps, name="downsample", dtype="float32")
        self.upsample = GaussianUpsample2D(upsample_taps, name="upsample", dtype="float32")
        # Weightless, but fit under a strategy traces `call` symbolically if any layer is unbuilt.
        self.downsample.build((None, *self.image_shape))
        self.upsample.build((None, *self.level_shapes[0]))
        self.built = True

    @classmethod
    def build(
        cls,
        image_shape=(32, 32, 1),
        levels=3,
        latent_dim=100,
        num_classes=None,
        filters=32,
        kernel_size=5,
        coarse_units=None,
        coarse_discriminator_units=None,
        downsample_taps=4,
        upsample_taps=3,
        seed=0,
        **kwargs,
    ):
        """The paper's level networks (see `networks.py`) for `image_shape` split into `levels`.

        The defaults are the `lapgan` preset's (`presets.py`: the paper's widths divided by 4);
        `filters=128` with 3-channel images gives the paper's CIFAR-10 model.

        Args:
            image_shape: `(H, W, C)` of the finest level; H and W divisible by 2**(levels - 1).
            levels: Pyramid levels, one GAN each; the coarsest must stay at least 4x4
                (CIFAR-10: 32x32 and 3 levels gives 8 -> 16 -> 32).
            latent_dim: Noise size of the coarsest level.
            num_classes: Class count for class-conditional levels; None for unconditional.
            filters: Feature maps of the finer levels' convolutions (paper: 128).
            kernel_size: Kernel size of the finer levels' convolutions (paper: 5).
            coarse_units: Hidden widths of the coarsest generator; default two layers of
                `1200 * filters / 128` units (the paper's 1200 at 128), so `filters` sizes the
                whole model.
            coarse_discriminator_units: Hidden widths of the coarsest discriminator; default
                `coarse_units` (the paper's is 600 wide, but also had dropout, which per-replica
                randomness rules out here).
            downsample_taps: Taps of the pyramid's downsampling blur.
            upsample_taps: Taps of the pyramid's upsampling blur.
            seed: Seed of the training noise.
            **kwargs: Passed to the constructor (`augment`) and to `keras.Model`.
        """
        shapes = level_shapes_for(tuple(image_shape), levels)
        if coarse_units is None:
            coarse_units = (round(1200 * filters / 128),) * 2
        if coarse_discriminator_units is None:
            coarse_discriminator_units = coarse_units
        generators, discriminators = build_level_networks(
            shapes,
            latent_dim,
            num_classes,
            tuple(coarse_units),
            tuple(coarse_discriminator_units),
            filters,
            kernel_size,
        )
        return cls(
            generators,
            discriminators,
            num_classes=num_classes,
            downsample_taps=downsample_taps,
            upsample_taps=upsample_taps,
            seed=seed,
            **kwargs,
        )

    # -- Sides of the skeleton --------------------------------------------------------------------
    def discriminator_variables(self):
        return [v for network in self.discriminators for v in network.trainable_variables]

    def generator_variables(self):
        return [v for network in self.generators for v in network.trainable_variables]

    def generator_statistics(self):
        return moving_statistics(*self.generators)

    def generator_side_policy(self):
        return self.generators[0].dtype_policy

    def loss_term_names(self):
        return tuple(f"d_loss_{k}" for k in range(self.levels)) + tuple(
            f"g_loss_{k}" for k in range(self.levels)
        )

    @property
    def conditional(self):
        return self.num_classes is not None

    def prepare_batch(self, data):
        """Validates the batch and builds its real pyramid: level targets and coarse inputs."""
        images, labels = validation.unpack_batch(data)
        images = validation.check_images(images, self.image_shape)
        gaussian = gaussian_pyramid(images, self.levels, self.downsample)
        # lows[k] = l_k, the upsampled coarser image level k starts from (none at level 0).
        lows = [None] + [self.upsample(image) for image in gaussian[:-1]]
        targets = [gaussian[0]] + [gaussian[k] - lows[k] for k in range(1, self.levels)]
        batch = {"targets": targets, "lows": lows, "labels": None}
        if self.conditional:
            if labels is None:
                raise ValueError(
                    "A class-conditional LAPGAN needs labels: feed {'images': ..., 'labels': ...} "
                    "or (images, labels)."
                )
            batch["labels"] = validation.check_labels_in_graph(labels, self.num_classes)
        return batch

    def _inputs(self, level, tensor, batch, coarse=None):
        """The inputs of level `level`'s networks for `tensor` (noise, image or residual) and
        `coarse` (default the batch's coarse image of the level)."""
        coarse = batch["lows"][level] if coarse is None else coarse
        inputs = [tensor] if level == 0 else [tensor, coarse]
        if self.conditional:
            inputs.append(batch["labels"])
        return inputs[0] if len(inputs) == 1 else inputs

    def _fake(self, level, batch, step, stream):
        size = tf.shape(batch["targets"][level])[0]
        # Two streams per level (D side, G side): every level draws its own noise.
        noise = self.normal(size, list(self.noise_shapes[level]), step, 2 * level + stream)
        return self.generators[level](self._inputs(level, noise, batch), training=True)

    def _discriminate(self, level, tensor, batch, step, stream):
        """Level `level`'s logits for `tensor` (image or residual), augmented with this call's
        draws.

        A finer level judges a residual h beside its coarse image l. Both must move alike, so
        the image l + h and l get the same transform and D sees (T(l + h) - T(l), T(l)): every
        transform is affine per example, so this is T's linear part applied to h (a shift or
        cut-out of h aligned with l's; colour's brightness offset lands on l only, where it
        belongs, instead of on a signed residual).
        """
        coarse = batch["lows"][level]
        stream = AUGMENT_STREAMS + 3 * level + stream
        if level == 0:
            tensor = self.augmented(tensor, step, stream)
        elif self.augment:
            image = tf.cast(tensor, coarse.dtype) + coarse
            image, coarse = self.augmented([image, coarse], step, stream)
            tensor = image - coarse
        inputs = self._inputs(level, tensor, batch, coarse)
        return self.discriminators[level](inputs, training=True)

    def discriminator_losses(self, batch, step):
        terms = {}
        for level in range(self.levels):
            fake = tf.stop_gradient(self._fake(level, batch, step, 0))
            real = batch["targets"][level]
            real_logits = self._discriminate(level, real, batch, step, AUGMENT_REAL)
            fake_logits = self._discriminate(level, fake, batch, step, AUGMENT_FAKE)
            terms[f"d_loss_{level}"] = self.discriminator_loss_fn(real_logits, fake_logits)
        return terms

    def generator_losses(self, batch, step):
        terms = {}
        for level in range(self.levels):
            fake = self._fake(level, batch, step, 1)
            fake_logits = self._discriminate(level, fake, batch, step, AUGMENT_G)
            terms[f"g_loss_{level}"] = self.generator_loss_fn(fake_logits)
        return terms

    # -- Sampling ----------------------------------------------------------------------------------
    def sampling_chain(self, start_level=0, all_levels=False, generators=None):
        """The coarse-to-fine sampler as one functional model (see `chain.build_sampling_chain`).

        Args:
            start_level: 0 samples from noise; k > 0 starts from `coarse_images` of level k - 1.
            all_levels: Also output each level's image (`level_<k>`) before `images`.
            generators: The level generators to chain; default the training ones.
        """
        return build_sampling_chain(
            generators or self.generators,
            self.conditional,
            self.upsample.taps,
            start_level,
            all_levels,
        )

    def call(self, inputs, training=False):
        """Samples with the training generators: inputs as `sampling_chain()` names them."""
        return self.sampling_chain()(inputs, training=training)

    def sample_noise(self, num_images, seed=0, start_level=0):
        """`{noise_<k>: array}` for levels `start_level...`: the noise `generate(seed=seed)`
        draws."""
        num_images = inference.check_num_images(num_images)
        return {
            f"noise_{level}": inference.draw_noise(
                inference.InputSpec(f"noise_{level}", "float32", (None, *self.noise_shapes[level])),
                num_images,
                seed,
            )
            for level in range(start_level, self.levels)
        }

    def sample_levels(self, num_images=16, labels=None, coarse_images=None, seed=0):
        """Every level's images, coarse to fine, as a list of numpy arrays (`generate` on the
        `pyramid` graphs).

        Args:
            num_images: How many images (unless `labels` or `coarse_images` fix it).
            labels: `[N]` class labels of a conditional model; default each class in turn.
            coarse_images: Optional `[N, h, w, C]` images of some coarser level's size to start
                from (super-resolution); the list then starts at the next finer level.
            seed: Seed of the noise.
        """
        inputs = {"labels": labels, "coarse_images": coarse_images}
        inputs = {name: value for name, value in inputs.items() if value is not None}
        start = 0 if coarse_images is None else self._coarse_level(coarse_images) + 1
        graph = "pyramid" if start == 0 else f"pyramid_from_{start}"
        outputs = self.generate(
            inputs, num_images=None if inputs else num_images, seed=seed, graph=graph
        )
        return [outputs[f"level_{level}"] for level in range(start, self.levels - 1)] + [
            outputs["images"]
        ]

    def _coarse_level(self, coarse_images):
        """The level whose size `coarse_images` has (a coarser one than the final)."""
        shape = np.shape(coarse_images)
        sizes = self.level_shapes[:-1]
        if len(shape) != 4 or tuple(shape[1:]) not in sizes:
            raise ValueError(
                f"coarse_images must have shape [batch, h, w, C] with (h, w, C) one of the coarser "
                f"levels {sizes}; received {shape}."
            )
        return sizes.index(tuple(shape[1:]))

    def check_generate_inputs(self, inputs):
        if "coarse_images" in inputs:
            self._coarse_level(inputs["coarse_images"])
            inputs["coarse_images"] = np.asarray(inputs["coarse_images"], np.float32)
        if self.conditional and "labels" in inputs:
            inputs["labels"] = validation.check_label_values(inputs["labels"], self.num_classes)
        return inputs

    def sample(self, num_images=16, labels=None, coarse_images=None, seed=0):
        """Generates `[N, H, W, C]` float32 images as numpy (see `sample_levels`)."""
        return self.sample_levels(num_images, labels, coarse_images, seed)[-1]

    def preview(self, seed, num_images=None):
        """One row per level (coarse, ..., final), each upsampled to the final size; one column
        per class for conditional models, else `num_images` (default 12) columns."""
        if num_images is None:
            num_images = self.num_classes if self.conditional and self.num_classes <= 16 else 12
        rows = []
        for level, images in enumerate(self.sample_levels(num_images, seed=seed)):
            for _ in range(self.levels - 1 - level):
                images = self.upsample(images)
            rows.append(np.asarray(images))
        return np.concatenate(rows), num_images

    def _deployable_generators(self):
        # Float32 copies holding the EMA weights when the base keeps them.
        return [self.deployable(generator) for generator in self.generators]

    def inference_models(self):
        return self._graphs(self._deployable_generators(), pyramids=False)

    def generation_graphs(self):
        """`inference_models()` plus `pyramid` (every level's image: `level_<k>`..., `images`)
        and `pyramid_from_<k>` (the same from `coarse_images` of level k - 1)."""
        return self._graphs(self._deployable_generators(), pyramids=True)

    def _graphs(self, generators, pyramids):
        graphs = {"sampler": self.sampling_chain(generators=generators)}
        if self.levels > 1:
            graphs["super_resolution"] = self.sampling_chain(start_level=1, generators=generators)
        if pyramids:
            for start in range(self.levels):
                name = "pyramid" if start == 0 else f"pyramid_from_{start}"
                graphs[name] = self.sampling_chain(start, all_levels=True, generators=generators)
        return graphs

    # -- Serialisation -----------------------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generators": [keras.saving.serialize_keras_object(g) for g in self.generators],
                "discriminators": [
                    keras.saving.serialize_keras_object(d) for d in self.discriminators
                ],
                "num_classes": self.num_classes,
                "downsample_taps": self.downsample.taps,
                "upsample_taps": self.upsample.taps,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generators", "discriminators"):
            config[key] = [keras.saving.deserialize_keras_object(c) for c in config[key]]
        return cls(**config)
