"""CycleGAN's inference side: its two translation graphs, `translate`, `generate`'s checks and
the preview grid of fixed held-out images."""

import numpy as np

from keras_gans.models import validation
from keras_gans.models.cyclegan import networks


class CycleGANInference:
    """The inference methods of `CycleGAN` (a mixin: it reads the model's generators and image
    shape)."""

    def translate(self, images, direction="a_to_b"):
        """Translates `[N, H, W, C]` float images in [-1, 1] (`a_to_b` or `b_to_a`); numpy out.

        A convenience over `generate({"image_a": images})["images"]` (`image_b` for `b_to_a`).
        """
        names = self._direction_inputs()
        if direction not in names:
            raise ValueError(f"direction must be one of {sorted(names)}; received {direction!r}.")
        return self.generate({names[direction]: images}, graph=direction)["images"]

    def _direction_inputs(self):
        """The input name of each direction's graph (`image_a`, `image_b` for `build`'s
        networks)."""
        return {
            "a_to_b": self.generator_ab.inputs[0].name,
            "b_to_a": self.generator_ba.inputs[0].name,
        }

    def check_generate_inputs(self, inputs):
        for name in self._direction_inputs().values():
            if name in inputs:
                images = np.asarray(inputs[name], np.float32)
                inputs[name] = validation.check_images(images, self.image_shape, name).numpy()
        return inputs

    def cycle_l1(self, image_a, image_b):
        """Mean absolute cycle error per direction on held-out images: `{"a": ..., "b": ...}`."""
        reconstructed_a = self.translate(self.translate(image_a, "a_to_b"), "b_to_a")
        reconstructed_b = self.translate(self.translate(image_b, "b_to_a"), "a_to_b")
        return {
            "a": float(np.mean(np.abs(reconstructed_a - np.asarray(image_a)))),
            "b": float(np.mean(np.abs(reconstructed_b - np.asarray(image_b)))),
        }

    def inference_models(self):
        """`a_to_b` (input `image_a`) and `b_to_a` (input `image_b`), each with output `images`.

        Both take images of any height and width (`networks.any_size_generator`): exports
        translate photos at their own size, not only at the training size.
        """
        return {
            "a_to_b": networks.any_size_generator(self.deployable(self.generator_ab)),
            "b_to_a": networks.any_size_generator(self.deployable(self.generator_ba)),
        }

    def image_inputs(self):
        """Both translators take images: their SavedModels also take PNG or JPEG bytes."""
        return {graph: (name,) for graph, name in self._direction_inputs().items()}

    def set_preview_images(self, image_a, image_b):
        """Fixes the held-out images `preview` translates (not saved with the model).

        Args:
            image_a: `[N, H, W, C]` images of domain A in [-1, 1].
            image_b: `[N, H, W, C]` images of domain B, the same N.
        """
        image_a = validation.check_images(
            np.asarray(image_a, np.float32), self.image_shape, "image_a"
        )
        image_b = validation.check_images(
            np.asarray(image_b, np.float32), self.image_shape, "image_b"
        )
        if image_a.shape[0] != image_b.shape[0]:
            raise ValueError(
                f"Preview needs as many images of A as of B; received {image_a.shape[0]} and "
                f"{image_b.shape[0]}."
            )
        self._preview_images = (image_a.numpy(), image_b.numpy())

    def preview(self, seed=None):
        """Rows of `a, G_AB(a), G_BA(G_AB(a)), b, G_BA(b), G_AB(G_BA(b))` for the preview images.

        The inputs are the fixed images of `set_preview_images` (the training spec sets held-out
        crops), so `seed` is not used: every grid of a run shows the same inputs.
        """
        if self._preview_images is None:
            raise ValueError(
                "CycleGAN.preview needs images: call set_preview_images(image_a, image_b) first."
            )
        image_a, image_b = self._preview_images
        fake_b = self.translate(image_a, "a_to_b")
        fake_a = self.translate(image_b, "b_to_a")
        columns = [
            image_a,
            fake_b,
            self.translate(fake_b, "b_to_a"),
            image_b,
            fake_a,
            self.translate(fake_a, "a_to_b"),
        ]
        grid = np.stack(columns, axis=1).reshape((-1, *self.image_shape))
        return grid, len(columns)
