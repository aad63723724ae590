"""The CycleGAN training model (Zhu et al. 2017, https://arxiv.org/abs/1703.10593)."""

import keras
import tensorflow as tf

from keras_gans import losses as losses_lib
from keras_gans.models import noise as noise_lib
from keras_gans.models import validation
from keras_gans.models.base import AdversarialModel
from keras_gans.models.cyclegan.inference import CycleGANInference
from keras_gans.models.cyclegan.networks import build_patch_discriminator, build_resnet_generator
from keras_gans.models.cyclegan.pool import ImagePool
from keras_gans.models.ema import moving_statistics

# Random streams of one training step: the two pools' swap and slot draws, then the augmentation
# draws of each discriminator call (real and shown images of each domain, the generator side's).
POOL_A_STREAM, POOL_B_STREAM = 0, 1
AUGMENT_REAL_A, AUGMENT_SHOWN_A, AUGMENT_REAL_B, AUGMENT_SHOWN_B = 2, 3, 4, 5
AUGMENT_G_A, AUGMENT_G_B = 6, 7
# The paper halves the discriminator objective to slow D relative to G.
DISCRIMINATOR_LOSS_FACTOR = 0.5


@keras.saving.register_keras_serializable(package="keras_gans")
class CycleGAN(CycleGANInference, AdversarialModel):
    """Unpaired image-to-image translation: two generators, two discriminators, cycle consistency.

    `G_AB` translates domain A to B and `G_BA` back; `D_A` / `D_B` judge images of each domain.
    The generator side of the shared skeleton is both generators, trained on
    `adv_ab + adv_ba + cycle + identity`; the discriminator side is both discriminators, trained on
    `d_a + d_b`, each `0.5 x` the adversarial discriminator loss on real images and on generated
    images drawn from an `ImagePool`. The adversarial loss is least squares unless `compile` picks
    another kind. `inference_models()` gives `a_to_b` (input `image_a`) and `b_to_a` (input
    `image_b`), each with output `images`; the sample grids translate fixed held-out images given
    to `set_preview_images` (the training spec does so; they are not saved with the model).

    Args:
        generator_ab: `keras.Model` translating `[B, H, W, C]` images of A to B (input `image_a`).
        generator_ba: `keras.Model` translating B to A (input `image_b`), same shapes.
        discriminator_a: `keras.Model` scoring images of A (patch map or one output per image).
        discriminator_b: `keras.Model` scoring images of B.
        cycle_weight: Weight lambda of the cycle L1 terms |G_BA(G_AB(a)) - a| + |G_AB(G_BA(b)) - b|.
        identity_weight: Weight of the identity L1 terms |G_BA(a) - a| + |G_AB(b) - b|; the paper
            uses 0.5 x lambda = 5. 0 drops them.
        pool_size: Generated images kept per direction for the discriminators (0: no pool).
        seed: Seed of the pools' draws.
        augment: DiffAugment transforms applied to the real images and the fakes before each
            discriminator (`AdversarialModel`), or None.
        **kwargs: Passed to `keras.Model`.

    Example::

        model = CycleGAN.build(image_shape=(32, 32, 1), base_filters=8, num_blocks=6)
        model.compile()
        model.fit(dataset)  # elements {"image_a": [B, 32, 32, 1], "image_b": [B, 32, 32, 1]}
        zebras = model.translate(horses, "a_to_b")
    """

    def __init__(
        self,
        generator_ab,
        generator_ba,
        discriminator_a,
        discriminator_b,
        cycle_weight=10.0,
        identity_weight=5.0,
        pool_size=50,
        seed=0,
        augment=None,
        **kwargs,
    ):
        super().__init__(seed=seed, augment=augment, **kwargs)
        self.generator_ab = generator_ab
        self.generator_ba = generator_ba
        self.discriminator_a = discriminator_a
        self.discriminator_b = discriminator_b
        self.image_shape = _check_networks(
            generator_ab, generator_ba, discriminator_a, discriminator_b
        )
        for name, value in (("cycle_weight", cycle_weight), ("identity_weight", identity_weight)):
            if not value >= 0:
                raise ValueError(f"{name} must be non-negative; received {value!r}.")
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.pool_size = pool_size
        # pool_a holds generated images of domain A (from G_BA), shown to D_A; pool_b likewise.
        self.pool_a = ImagePool(pool_size, self.image_shape, name="pool_a")
        self.pool_b = ImagePool(pool_size, self.image_shape, name="pool_b")
        self._preview_images = None
        self.built = True

    @classmethod
    def build(
        cls,
        image_shape=(32, 32, 1),
        base_filters=12,
        num_blocks=3,
        discriminator_filters=None,
        seed=0,
        **kwargs,
    ):
        """The paper's ResNet generators and 70x70 PatchGAN discriminators for `image_shape`.

        The defaults are the `cyclegan` preset's (`presets.py`: 32x32 grey textures, ngf 12, 3
        residual blocks); the paper's horse2zebra model is `image_shape=(256, 256, 3),
        base_filters=64, num_blocks=9`.

        Args:
            image_shape: `(size, size, channels)` of both domains.
            base_filters: ngf, the generators' first width (64 in the paper).
            num_blocks: Residual blocks per generator (9 at 256x256, 6 at 128x128 in the paper).
            discriminator_filters: ndf, the discriminators' first width; default `base_filters`.
            seed: Seed of the pools' draws.
            **kwargs: Passed to the constructor (`cycle_weight`, `identity_weight`, `pool_size`,
                `augment`).
        """
        height, width, channels = image_shape
        if height != width:
            raise ValueError(f"CycleGAN images must be square; received {height}x{width}.")
        ndf = base_filters if discriminator_filters is None else discriminator_filters
        return cls(
            build_resnet_generator(
                height, channels, base_filters, num_blocks, "image_a", "generator_ab"
            ),
            build_resnet_generator(
                height, channels, base_filters, num_blocks, "image_b", "generator_ba"
            ),
            build_patch_discriminator(height, channels, ndf, name="discriminator_a"),
            build_patch_discriminator(height, channels, ndf, name="discriminator_b"),
            seed=seed,
            **kwargs,
        )

    def compile(self, d_optimizer=None, g_optimizer=None, loss="least_squares", **kwargs):
        """As `AdversarialModel.compile`, with the paper's least-squares loss as the default."""
        super().compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, loss=loss, **kwargs)

    # -- The two sides ----------------------------------------------------------------------------
    def generator_side_policy(self):
        return self.generator_ab.dtype_policy

    def generator_variables(self):
        return self.generator_ab.trainable_variables + self.generator_ba.trainable_variables

    def generator_statistics(self):
        return moving_statistics(self.generator_ab, self.generator_ba)

    def discriminator_variables(self):
        return self.discriminator_a.trainable_variables + self.discriminator_b.trainable_variables

    def loss_term_names(self):
        names = ("d_a", "d_b", "adv_ab", "adv_ba", "cycle")
        return names + (("identity",) if self.identity_weight > 0 else ())

    def prepare_batch(self, data):
        if isinstance(data, dict):
            missing = sorted({"image_a", "image_b"} - set(data))
            if missing:
                raise ValueError(
                    "A CycleGAN batch needs keys 'image_a' and 'image_b'; received keys "
                    f"{sorted(data)}."
                )
            image_a, image_b = data["image_a"], data["image_b"]
        elif isinstance(data, (tuple, list)) and len(data) == 2:
            image_a, image_b = data
        else:
            raise ValueError(
                "A CycleGAN batch must be {'image_a': ..., 'image_b': ...} or (image_a, image_b); "
                f"received {type(data).__name__}."
            )
        image_a = validation.check_images(image_a, self.image_shape, name="image_a")
        image_b = validation.check_images(image_b, self.image_shape, name="image_b")
        rows_a, rows_b = image_a.shape[0], image_b.shape[0]
        if rows_a is not None and rows_b is not None and rows_a != rows_b:
            raise ValueError(
                f"image_a and image_b must have the same batch size; received {image_a.shape[0]} "
                f"and {image_b.shape[0]}."
            )
        return {"image_a": image_a, "image_b": image_b}

    def _pool_draws(self, rows, step, stream):
        # The whole global batch's draws: exactly the rows `self.uniform` gives the replicas.
        _, num_replicas = noise_lib.replica_position()
        return tf.random.stateless_uniform(
            [rows * num_replicas, 2], seed=noise_lib.step_seed(self.seed, step, stream)
        )

    def generator_pass(self, batch, step):
        """Both translations (and the identity maps), once per step for both sides.

        The discriminators see `fake_a` / `fake_b` through the pools with gradients stopped; the
        generator side backpropagates through this same pass, so a step runs each generator on
        each input once (6 image passes with identity, 4 without; the reference code's count).
        """
        return self.translations(batch["image_a"], batch["image_b"], self.identity_weight > 0)

    def translations(self, real_a, real_b, identity=True):
        """`{"fake_b": G_AB(a), "fake_a": G_BA(b)}`, plus `same_b = G_AB(b)`, `same_a = G_BA(a)`.

        With `identity`, each generator takes its translation and its identity input in one call;
        every layer works per example (instance norm), so this equals two calls.
        """
        if not identity:
            return {
                "fake_b": self.generator_ab(real_a, training=True),
                "fake_a": self.generator_ba(real_b, training=True),
            }
        rows = tf.shape(real_a)[0]
        fake_b, same_b = _split(self.generator_ab(_join(real_a, real_b), training=True), rows)
        fake_a, same_a = _split(self.generator_ba(_join(real_b, real_a), training=True), rows)
        return {"fake_b": fake_b, "fake_a": fake_a, "same_b": same_b, "same_a": same_a}

    def discriminator_losses(self, batch, step):
        """D_A and D_B on real images and on pooled fakes of `generator_pass` (gradients
        stopped)."""
        real_a, real_b = batch["image_a"], batch["image_b"]
        rows = tf.shape(real_a)[0]
        shown_b = self.pool_b.query(batch["fake_b"], self._pool_draws(rows, step, POOL_B_STREAM))
        shown_a = self.pool_a.query(batch["fake_a"], self._pool_draws(rows, step, POOL_A_STREAM))
        # Augmented apart, before the join: each half keeps its rows' replica-invariant draws.
        real_a = self.augmented(real_a, step, AUGMENT_REAL_A)
        shown_a = self.augmented(shown_a, step, AUGMENT_SHOWN_A)
        real_b = self.augmented(real_b, step, AUGMENT_REAL_B)
        shown_b = self.augmented(shown_b, step, AUGMENT_SHOWN_B)
        # One call per network on [real; shown]: every layer works per example (instance norm),
        # so this equals two calls and gives a smaller graph.
        real_a_out, shown_a_out = _split(
            self.discriminator_a(_join(real_a, shown_a), training=True), rows
        )
        real_b_out, shown_b_out = _split(
            self.discriminator_b(_join(real_b, shown_b), training=True), rows
        )
        return {
            "d_a": DISCRIMINATOR_LOSS_FACTOR * self.discriminator_loss_fn(real_a_out, shown_a_out),
            "d_b": DISCRIMINATOR_LOSS_FACTOR * self.discriminator_loss_fn(real_b_out, shown_b_out),
        }

    def generator_losses(self, batch, step):
        """Adversarial, cycle and identity terms on the live outputs of `generator_pass`."""
        real_a, real_b = batch["image_a"], batch["image_b"]
        fake_a, fake_b = batch["fake_a"], batch["fake_b"]
        shown_b = self.augmented(fake_b, step, AUGMENT_G_B)
        shown_a = self.augmented(fake_a, step, AUGMENT_G_A)
        terms = {
            "adv_ab": self.generator_loss_fn(self.discriminator_b(shown_b, training=True)),
            "adv_ba": self.generator_loss_fn(self.discriminator_a(shown_a, training=True)),
            # The cycles run here, after the discriminator update, so their activations are not
            # held through it; only the generator side needs them.
            "cycle": cycle_loss(
                real_a,
                self.generator_ba(fake_b, training=True),
                real_b,
                self.generator_ab(fake_a, training=True),
                self.cycle_weight,
            ),
        }
        if self.identity_weight > 0:
            terms["identity"] = identity_loss(
                real_a, batch["same_a"], real_b, batch["same_b"], self.identity_weight
            )
        return terms

    # -- Inference --------------------------------------------------------------------------------
    def call(self, inputs, training=False):
        """Translates images of domain A to domain B."""
        return self.generator_ab(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        for key in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b"):
            config[key] = keras.saving.serialize_keras_object(getattr(self, key))
        config.update(
            cycle_weight=self.cycle_weight,
            identity_weight=self.identity_weight,
            pool_size=self.pool_size,
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def cycle_loss(real_a, reconstructed_a, real_b, reconstructed_b, weight):
    """Per-example `weight * (mean|G_BA(G_AB(a)) - a| + mean|G_AB(G_BA(b)) - b|)` (paper eq. 2)."""
    return weight * (
        losses_lib.l1_per_example(reconstructed_a, real_a)
        + losses_lib.l1_per_example(reconstructed_b, real_b)
    )


def identity_loss(real_a, same_a, real_b, same_b, weight):
    """Per-example `weight * (mean|G_BA(a) - a| + mean|G_AB(b) - b|)` (paper section 5.2)."""
    return weight * (
        losses_lib.l1_per_example(same_a, real_a) + losses_lib.l1_per_example(same_b, real_b)
    )


def _join(first, second):
    return tf.concat([first, second], axis=0)


def _split(outputs, rows):
    """The first `rows` examples and the rest."""
    return outputs[:rows], outputs[rows:]


def _shape_of(tensor):
    return tuple(None if d is None else int(d) for d in tensor.shape[1:])


def _check_networks(generator_ab, generator_ba, discriminator_a, discriminator_b):
    """All four networks must work on one image shape; returns it as `(H, W, C)`."""
    image_shape = _shape_of(generator_ab.inputs[0])
    shapes = {
        "generator_ab input": image_shape,
        "generator_ab output": _shape_of(generator_ab.outputs[0]),
        "generator_ba input": _shape_of(generator_ba.inputs[0]),
        "generator_ba output": _shape_of(generator_ba.outputs[0]),
        "discriminator_a input": _shape_of(discriminator_a.inputs[0]),
        "discriminator_b input": _shape_of(discriminator_b.inputs[0]),
    }
    if len(image_shape) != 3 or None in image_shape:
        raise ValueError(
            f"generator_ab must take [B, H, W, C] images of known size; received {image_shape}."
        )
    wrong = {name: shape for name, shape in shapes.items() if shape != image_shape}
    if wrong:
        raise ValueError(
            f"Every CycleGAN network must work on images of shape {image_shape} (generator_ab's "
            f"input); received {wrong}."
        )
    return image_shape
