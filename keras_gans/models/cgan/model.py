"""The conditional GAN training model (Mirza & Osindero 2014, https://arxiv.org/abs/1411.1784)."""

import keras
import numpy as np

from keras_gans.models import validation
from keras_gans.models.cgan.conv_networks import (
    build_conv_conditional_discriminator,
    build_conv_conditional_generator,
)
from keras_gans.models.cgan.networks import (
    build_conditional_discriminator,
    build_conditional_generator,
)
from keras_gans.models.cgan.presets import CONV_BASE_FILTERS, GENERATOR_UNITS
from keras_gans.models.gan.model import GAN

# The networks `CGAN.build` makes: the paper's MLPs, or convolutional ones (conv_networks.py).
ARCHITECTURES = ("mlp", "conv")


def check_architecture(architecture):
    """`architecture` if it is one of `ARCHITECTURES`, else a ValueError naming it."""
    if architecture not in ARCHITECTURES:
        raise ValueError(
            f"CGAN architecture must be one of {', '.join(ARCHITECTURES)}; received "
            f"{architecture!r}."
        )
    return architecture


def _build_networks(architecture, latent_dim, image_shape, num_classes, options):
    """`(generator, discriminator)` of `architecture`; `options` are its width settings (None:
    the default), and setting the other architecture's is a ValueError."""
    own = {"mlp": "generator_units", "conv": "base_filters"}[check_architecture(architecture)]
    for name, value in options.items():
        if name != own and value is not None:
            raise ValueError(
                f"{name} does not apply to CGAN's {architecture} architecture; received "
                f"architecture={architecture!r} with {name}={value!r}."
            )
    if architecture == "conv":
        filters = CONV_BASE_FILTERS if options["base_filters"] is None else options["base_filters"]
        return (
            build_conv_conditional_generator(latent_dim, image_shape, num_classes, filters),
            build_conv_conditional_discriminator(image_shape, num_classes, filters),
        )
    units = GENERATOR_UNITS if options["generator_units"] is None else options["generator_units"]
    return (
        build_conditional_generator(latent_dim, image_shape, num_classes, units=tuple(units)),
        build_conditional_discriminator(image_shape, num_classes),
    )


@keras.saving.register_keras_serializable(package="keras_gans")
class CGAN(GAN):
    """A GAN whose generator and discriminator both see the class label.

    Args:
        generator: `keras.Model` with inputs `[noise, labels]` and output `images`.
        discriminator: `keras.Model` with inputs `[images, labels]` and output `logits`.
        num_classes: Number of classes; labels lie in `[0, num_classes)`.
        seed: Seed of the training noise.
        share_generator_pass: See `GAN`. Off by default here: on the default digits run, sharing
            the pass left the Frechet classifier distance at 2.0 to 2.4x the real baseline over
            five runs (seeds, EMA, epochs, batch size), against 1.4 to 1.7x with fresh noise.
        architecture: Which of `ARCHITECTURES` `build` made the networks with (kept in the
            config); None for networks built elsewhere.
        **kwargs: Passed to `keras.Model`.

    Example::

        cgan = CGAN.build(image_shape=(16, 16, 1), num_classes=10)
        cgan.compile()
        cgan.fit(dataset)  # elements {"images": ..., "labels": ...}
        sevens = cgan.sample(labels=[7] * 8)
        conv = CGAN.build(image_shape=(32, 32, 3), num_classes=10, architecture="conv")
    """

    def __init__(
        self,
        generator,
        discriminator,
        num_classes,
        seed=0,
        share_generator_pass=False,
        architecture=None,
        **kwargs,
    ):
        super().__init__(
            generator, discriminator, seed=seed, share_generator_pass=share_generator_pass, **kwargs
        )
        self.num_classes = int(num_classes)
        self.architecture = None if architecture is None else check_architecture(architecture)

    @classmethod
    def build(
        cls,
        image_shape=(16, 16, 1),
        latent_dim=64,
        num_classes=10,
        seed=0,
        architecture="mlp",
        generator_units=None,
        base_filters=None,
        **kwargs,
    ):
        """The paper's conditional MLPs, or convolutional networks, for `image_shape` and
        `num_classes`; either trains with the same step.

        The defaults are the `cgan` preset's (`presets.py`), the default run of keras-gans-train:
        the digits at 16x16 and a (1024, 1024) generator, which scores far better on them than
        the paper-sized (256, 512) one.

        Args:
            image_shape: `(H, W, C)` of the images; multiples of 4 for `conv`.
            latent_dim: Size of the noise.
            num_classes: Number of classes.
            seed: Seed of the training noise.
            architecture: `mlp` (Mirza & Osindero's) or `conv` (transposed convolutions in G;
                the label as an image plane, strided convolutions and a dense logit in D).
            generator_units: `mlp` only: the generator's hidden widths (default
                `GENERATOR_UNITS`).
            base_filters: `conv` only: the networks' width (default `CONV_BASE_FILTERS`).
            **kwargs: Passed to the constructor.
        """
        image_shape = tuple(image_shape)
        options = {"generator_units": generator_units, "base_filters": base_filters}
        generator, discriminator = _build_networks(
            architecture, latent_dim, image_shape, num_classes, options
        )
        return cls(
            generator,
            discriminator,
            num_classes=num_classes,
            seed=seed,
            architecture=architecture,
            **kwargs,
        )

    def network_inputs(self, tensor, batch):
        return [tensor, batch["labels"]]

    def prepare_batch(self, data):
        images, labels = validation.unpack_batch(data)
        if labels is None:
            raise ValueError(
                "CGAN needs labels: feed {'images': ..., 'labels': ...} or (images, labels)."
            )
        return {
            "images": validation.check_images(images, self.image_shape),
            "labels": validation.check_labels_in_graph(labels, self.num_classes),
        }

    def sample(self, num_images=None, noise=None, labels=None, seed=0):
        """Generates images of the given `labels` (default: each class in turn): `generate`'s
        `images`.

        Args:
            num_images: How many images; default `len(labels)`, `len(noise)` or one per class.
            noise: Optional `[N, latent_dim]` noise.
            labels: Optional `[N]` integer labels in `[0, num_classes)`.
            seed: Seed of the noise when `noise` is not given.
        """
        inputs = {self.noise_name: noise, "labels": labels}
        inputs = {name: value for name, value in inputs.items() if value is not None}
        if not inputs and num_images is None:
            num_images = self.num_classes
        return self.generate(inputs, num_images=num_images, seed=seed)["images"]

    def check_generate_inputs(self, inputs):
        inputs = super().check_generate_inputs(inputs)
        if "labels" in inputs:
            inputs["labels"] = validation.check_label_values(inputs["labels"], self.num_classes)
        return inputs

    def preview(self, seed, per_class=8):
        """One row per class, `per_class` samples each."""
        labels = np.repeat(np.arange(self.num_classes), per_class)
        return self.generate({"labels": labels}, seed=seed)["images"], per_class

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "architecture": self.architecture})
        return config
