"""Conditioning Augmentation: a Gaussian around each text embedding, sampled per image.

Zhang et al. 2017, StackGAN, https://arxiv.org/abs/1612.03242, section 3.1: a fully connected
layer maps the text embedding to the mean and log standard deviation of a diagonal Gaussian;
the generator sees a sample c = mu + sigma * eps. Many conditions per caption smooth the
conditioning manifold, and KL(N(mu, sigma) || N(0, I)) in the generator loss keeps it from
collapsing to a point (`keras_gans.losses.gaussian_kl_loss`).
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class ConditioningAugmentation(keras.layers.Layer):
    """Maps `[B, E]` text embeddings to a sampled condition and its Gaussian's parameters.

    `call(embedding, eps=None)` returns `(condition, mu, log_sigma)`, each `[B, condition_dim]`.
    The noise `eps` is an input, not drawn here: the training model draws it replica-invariantly
    (`AdversarialModel.normal`), so one device and N replicas see the same conditions. Without
    `eps` the condition is the mean.

    Args:
        condition_dim: Size of the condition c (128 in the paper).
        **kwargs: Passed to `keras.layers.Layer`.

    Example:
        >>> import numpy as np
        >>> from keras_gans import losses
        >>> ca = ConditioningAugmentation(128)
        >>> embeddings, eps = np.ones((4, 32), "float32"), np.zeros((4, 128), "float32")
        >>> c, mu, log_sigma = ca(embeddings, eps)
        >>> tuple(c.shape), tuple(losses.gaussian_kl_loss(mu, log_sigma).shape)
        ((4, 128), (4,))
    """

    def __init__(self, condition_dim, **kwargs):
        super().__init__(**kwargs)
        if (
            isinstance(condition_dim, bool)
            or not isinstance(condition_dim, int)
            or condition_dim < 1
        ):
            raise ValueError(
                f"condition_dim must be a positive integer; received {condition_dim!r}."
            )
        self.condition_dim = condition_dim
        # N(0, 0.02) as all StackGAN weights: unit-scale embeddings then give a small initial KL.
        self.dense = keras.layers.Dense(
            2 * condition_dim,
            kernel_initializer=keras.initializers.RandomNormal(0.0, 0.02),
            name="mu_log_sigma",
        )

    def build(self, embedding_shape, eps_shape=None):
        self.dense.build(embedding_shape)
        self.built = True

    def call(self, embedding, eps=None):
        # The authors' code puts a LeakyReLU on the FC output (StackGAN TF `generate_condition`).
        stats = ops.leaky_relu(self.dense(embedding), negative_slope=0.2)
        mu = stats[:, : self.condition_dim]
        log_sigma = stats[:, self.condition_dim :]
        if eps is None:
            return mu, mu, log_sigma
        condition = mu + ops.exp(log_sigma) * ops.cast(eps, mu.dtype)
        return condition, mu, log_sigma

    def compute_output_spec(self, embedding, eps=None):
        shape = (embedding.shape[0], self.condition_dim)
        # Three distinct tensors: functional graphs tell outputs apart by identity.
        return tuple(keras.KerasTensor(shape, dtype=self.compute_dtype) for _ in range(3))

    def get_config(self):
        config = super().get_config()
        config["condition_dim"] = self.condition_dim
        return config
