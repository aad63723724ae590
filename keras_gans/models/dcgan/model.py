"""The DCGAN training model (Radford et al. 2015, https://arxiv.org/abs/1511.06434)."""

import keras
import numpy as np
import tensorflow as tf

from keras_gans import inference
from keras_gans.models.dcgan import features as features_lib
from keras_gans.models.dcgan.networks import build_dcgan_discriminator, build_dcgan_generator
from keras_gans.models.gan.model import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class DCGAN(GAN):
    """A GAN with the convolutional networks of Radford et al.; training is the GAN's.

    Only the default networks differ from `GAN`: the class exists so that `build` makes the
    paper's architecture and saved files name what they hold.
    """

    @classmethod
    def build(cls, image_shape=(32, 32, 1), latent_dim=100, seed=0, base_filters=32, **kwargs):
        """The paper's networks for square `image_shape` (16, 32, 64... pixels).

        The defaults are the `dcgan` preset's (`presets.py`: digits at 32x32, widths halved); the
        paper's LSUN model is `image_shape=(64, 64, 3), base_filters=64`.
        """
        height, width, channels = image_shape
        if height != width:
            raise ValueError(f"DCGAN images must be square; received {height}x{width}.")
        return cls(
            build_dcgan_generator(height, channels, latent_dim, base_filters),
            build_dcgan_discriminator(height, channels, base_filters),
            seed=seed,
            **kwargs,
        )

    def discriminator_features(self, images, pool_size=4, batch_size=256):
        """The discriminator's features of `images`, as the paper's Section 5.1 uses them.

        Every hidden `Conv2D` layer's output (all but the logit layer), max-pooled to a
        `pool_size` x `pool_size` grid, flattened and concatenated in layer order; the
        discriminator runs in inference mode (BatchNorm moving statistics), so the features of an
        image do not depend on its batch.

        Args:
            images: `[N, H, W, C]` float images in [-1, 1], the discriminator's input shape.
            pool_size: Side of the grid every feature map is pooled to.
            batch_size: Images per forward pass (the result does not depend on it).

        Returns:
            float32 `[N, F]`, with F the sum over those layers of `pool_size**2 * filters`.

        Raises:
            ValueError: Naming the bad value: a wrong image shape or dtype, a bad `pool_size` or
                `batch_size`, or a map smaller than `pool_size`.
        """
        pool_size = features_lib.check_pool_size(pool_size)
        batch_size = inference.check_num_images(batch_size)
        input_shape = tuple(int(d) for d in self.discriminator.inputs[0].shape[1:])
        images = features_lib.check_feature_images(images, input_shape)
        # Built once; kept off Keras's attribute tracking so that saved files do not change.
        if getattr(self, "_conv_features", None) is None:
            object.__setattr__(
                self, "_conv_features", features_lib.conv_feature_model(self.discriminator)
            )
        parts = []
        for start in range(0, len(images), batch_size):
            maps = self._conv_features(
                tf.constant(images[start : start + batch_size]), training=False
            )
            maps = maps if isinstance(maps, (list, tuple)) else [maps]
            pooled = [
                features_lib.adaptive_max_pool(np.asarray(m, np.float32), pool_size) for m in maps
            ]
            parts.append(np.concatenate([p.reshape(len(p), -1) for p in pooled], axis=1))
        return np.concatenate(parts)
