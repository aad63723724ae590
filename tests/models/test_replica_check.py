"""The 1-vs-2 replica check itself: it fails when the gradient's scale is wrong on some replica."""

import gan_test_case as case
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import dataset_from_arrays
from keras_gans.models import GAN

IMAGES = np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 1)).astype(np.float32)


def _one_replica_doubled(replica, num_replicas):
    return 1.0 + tf.cast(tf.equal(replica, 1), tf.float32)


def _every_replica_scaled(replica, num_replicas):
    # What dividing by the per-replica batch instead of the global batch does.
    return float(num_replicas)


class _MisscaledGAN(GAN):
    """A GAN whose per-example loss terms are multiplied by `factor(replica_id, num_replicas)`.

    On one device the factor is 1, so only the distributed run is wrong.
    """

    factor = None

    def _scaled(self, terms):
        context = tf.distribute.get_replica_context()
        factor = type(self).factor(context.replica_id_in_sync_group, context.num_replicas_in_sync)
        return {name: value * factor for name, value in terms.items()}

    def discriminator_losses(self, batch, step):
        return self._scaled(super().discriminator_losses(batch, step))

    def generator_losses(self, batch, step):
        return self._scaled(super().generator_losses(batch, step))


@pytest.mark.parametrize("factor", [_one_replica_doubled, _every_replica_scaled])
def test_check_fails_on_a_wrong_gradient_scale(factor, two_replica_strategy, monkeypatch):
    monkeypatch.setattr(_MisscaledGAN, "factor", staticmethod(factor))
    build = lambda: _MisscaledGAN.build((16, 16, 1), latent_dim=8)  # noqa: E731
    data = dataset_from_arrays(IMAGES, batch_size=8, shuffle=False)
    with pytest.raises(AssertionError, match="1 vs 2 replicas differ by") as failure:
        case.run_distribution_equality(build, data, two_replica_strategy)
    difference = float(str(failure.value).split("differ by ")[1].split()[0])
    assert difference > 1e-3, difference  # 100x the tolerance at least
