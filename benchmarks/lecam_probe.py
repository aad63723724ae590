"""A tuning run with LeCam regularisation patched into `GAN.discriminator_losses` (a probe: the
library does not offer it).

Tseng et al. 2021, https://arxiv.org/abs/2104.03310: the discriminator's loss gains
`weight * (relu(D(x) - a_fake)^2 + relu(a_real - D(G(z)))^2)`, with `a_real` and `a_fake` moving
averages (decay 0.99) of its mean output on real and generated images, updated with each batch
before the penalty reads them. One device only (the anchors are plain variables, not all-reduced).

    python benchmarks/lecam_probe.py '{"model": "dcgan", "tag": "dcgan_lecam03", "preset": "dcgan",
        "seed": 0, "lecam_weight": 0.3}'

The other keys are `quality_tuning.py`'s; the run is trained and scored as it scores one.
"""

import json
import os
import sys

import keras_gans  # noqa: F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import quality_tuning  # noqa: E402

from keras_gans.models.gan.model import AUGMENT_FAKE, AUGMENT_REAL, GAN  # noqa: E402


def patch(weight, decay):
    compile_without = GAN.compile

    def compile_with_anchors(self, *args, **kwargs):
        compile_without(self, *args, **kwargs)
        anchors = (tf.Variable(0.0, trainable=False), tf.Variable(0.0, trainable=False))
        object.__setattr__(self, "_lecam_anchors", anchors)

    def discriminator_losses(self, batch, step):
        real = self._discriminate(batch["images"], batch, step, AUGMENT_REAL)
        fake = self._discriminate(batch["fake"], batch, step, AUGMENT_FAKE)
        real_anchor, fake_anchor = self._lecam_anchors
        flat = [tf.reshape(tf.cast(t, tf.float32), [tf.shape(t)[0], -1]) for t in (real, fake)]
        for anchor, values in zip(self._lecam_anchors, flat):
            anchor.assign(decay * anchor + (1 - decay) * tf.reduce_mean(values))
        penalty = tf.reduce_mean(tf.square(tf.nn.relu(flat[0] - fake_anchor)), 1)
        penalty += tf.reduce_mean(tf.square(tf.nn.relu(real_anchor - flat[1])), 1)
        return {"d_loss": self.discriminator_loss_fn(real, fake) + weight * penalty}

    GAN.compile = compile_with_anchors
    GAN.discriminator_losses = discriminator_losses


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    patch(spec.pop("lecam_weight"), spec.pop("lecam_decay", 0.99))
    quality_tuning.main([sys.argv[0], json.dumps(spec)])
