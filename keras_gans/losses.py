"""Adversarial losses as pure functions returning per-example values.

Every function takes discriminator outputs (logits or critic values) of shape `[B]`, `[B, 1]` or
patch-shaped `[B, H, W, 1]` and returns a `[B]` tensor: one loss per example, the loss of each
patch position averaged over the patch. The training skeleton reduces these with
`tf.nn.compute_average_loss`, so the same code scales correctly by the global batch under any
`tf.distribute` strategy.

Naming follows TF-GAN: `<kind>_generator_loss(fake_outputs)` and
`<kind>_discriminator_loss(real_outputs, fake_outputs)`.

`LOSS_KINDS` are the kinds `compile(loss=...)`, `TrainConfig` and `--loss` accept. The
Wasserstein losses and `gradient_penalty` are building blocks only, not one of them: a WGAN-GP
also needs the penalty in the critic's loss and several critic steps per generator step, which the
training skeleton does not run.
"""

import tensorflow as tf

LOSS_KINDS = ("minimax", "non_saturating", "least_squares", "hinge")


def per_example(values):
    """Averages every axis but the first, so patch outputs give one value per example."""
    values = tf.convert_to_tensor(values)
    if values.shape.rank is not None and values.shape.rank < 1:
        raise ValueError(
            "Discriminator outputs must have a batch axis; received a tensor of shape "
            f"{values.shape}."
        )
    values = tf.cast(values, tf.float32)  # losses stay float32 under mixed precision
    if values.shape.rank == 1:
        return values
    return tf.reduce_mean(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)


def minimax_generator_loss(fake_logits):
    """Original minimax generator loss, log(1 - D(G(z))), to be minimised.

    Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661. Saturates early in training; see
    `non_saturating_generator_loss`.
    """
    return per_example(-tf.nn.softplus(_float(fake_logits)))


def minimax_discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy from logits: -log D(x) - log(1 - D(G(z)))."""
    return per_example(tf.nn.softplus(-_float(real_logits))) + per_example(
        tf.nn.softplus(_float(fake_logits))
    )


def non_saturating_generator_loss(fake_logits):
    """Non-saturating generator loss, -log D(G(z)) (Goodfellow et al. 2014, section 3)."""
    return per_example(tf.nn.softplus(-_float(fake_logits)))


non_saturating_discriminator_loss = minimax_discriminator_loss


def least_squares_generator_loss(fake_outputs):
    """Least-squares generator loss, (D(G(z)) - 1)^2.

    Mao et al. 2017, https://arxiv.org/abs/1611.04076, as CycleGAN uses it (no 1/2 factor).
    """
    return per_example(tf.square(_float(fake_outputs) - 1.0))


def least_squares_discriminator_loss(real_outputs, fake_outputs):
    """Least-squares discriminator loss, (D(x) - 1)^2 + D(G(z))^2."""
    return per_example(tf.square(_float(real_outputs) - 1.0)) + per_example(
        tf.square(_float(fake_outputs))
    )


def _float(values):
    return tf.cast(tf.convert_to_tensor(values), tf.float32)


def hinge_generator_loss(fake_outputs):
    """Hinge generator loss, -D(G(z)) (Lim & Ye 2017, https://arxiv.org/abs/1705.02894)."""
    return -per_example(fake_outputs)


def hinge_discriminator_loss(real_outputs, fake_outputs):
    """Hinge discriminator loss, max(0, 1 - D(x)) + max(0, 1 + D(G(z)))."""
    return per_example(tf.nn.relu(1.0 - _float(real_outputs))) + per_example(
        tf.nn.relu(1.0 + _float(fake_outputs))
    )


def wasserstein_generator_loss(fake_outputs):
    """Wasserstein generator loss, -D(G(z)) (Arjovsky et al. 2017, https://arxiv.org/abs/1701.07875).

    A building block, not a training mode of this library (not in `LOSS_KINDS`): a Wasserstein GAN
    also needs a Lipschitz critic (`gradient_penalty`) and several critic steps per generator step.
    """
    return -per_example(fake_outputs)


def wasserstein_discriminator_loss(real_outputs, fake_outputs):
    """Wasserstein critic loss, D(G(z)) - D(x).

    A building block, not a training mode of this library; see `wasserstein_generator_loss`.
    """
    return per_example(fake_outputs) - per_example(real_outputs)


def gradient_penalty(discriminator, real_images, fake_images, alpha, target=1.0):
    """WGAN-GP penalty (||grad D(x_hat)|| - target)^2 per example.

    Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028. `alpha` (shape `[B]`) is passed in
    rather than drawn here so the function stays pure and testable. A building block: no model of
    this library adds it to its losses (see `wasserstein_generator_loss`).

    Args:
        discriminator: A callable mapping images to outputs (any extra inputs bound by the caller).
        real_images: `[B, ...]` real batch.
        fake_images: `[B, ...]` generated batch of the same shape.
        alpha: `[B]` interpolation weights in [0, 1].
        target: The gradient norm the penalty pulls towards.

    Returns:
        `[B]` penalties.
    """
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    alpha = tf.reshape(tf.cast(alpha, tf.float32), [-1] + [1] * (real_images.shape.rank - 1))
    interpolated = real_images + alpha * (fake_images - real_images)
    with tf.GradientTape() as tape:
        tape.watch(interpolated)
        outputs = tf.reduce_sum(per_example(discriminator(interpolated)))
    grads = tape.gradient(outputs, interpolated)
    norms = tf.sqrt(
        tf.reduce_sum(tf.reshape(tf.square(grads), [tf.shape(grads)[0], -1]), axis=1) + 1e-12
    )
    return tf.square(norms - target)


def l1_per_example(a, b):
    """Mean absolute difference per example (cycle and identity terms)."""
    return per_example(tf.abs(_float(a) - _float(b)))


def matching_aware_discriminator_loss(
    real_outputs, wrong_outputs, fake_outputs, discriminator_loss=minimax_discriminator_loss
):
    """StackGAN's matching-aware discriminator loss: real + (wrong + fake) / 2.

    Zhang et al. 2017, https://arxiv.org/abs/1612.03242 (after Reed et al. 2016's GAN-CLS): the
    discriminator scores (real image, matching text) as real, and both (real image, mismatched
    text) and (fake image, text) as fake. Any two-term loss `d(real, fake) = r(real) + f(fake)`
    gives it as `(d(real, wrong) + d(real, fake)) / 2`.

    Args:
        real_outputs: D outputs for real images with their own texts.
        wrong_outputs: D outputs for real images with mismatched texts.
        fake_outputs: D outputs for generated images with the texts they were made from.
        discriminator_loss: The `<kind>_discriminator_loss` to combine.

    Returns:
        `[B]` losses.
    """
    return 0.5 * (
        discriminator_loss(real_outputs, wrong_outputs)
        + discriminator_loss(real_outputs, fake_outputs)
    )


def gaussian_kl_loss(mu, log_sigma):
    """KL(N(mu, sigma^2) || N(0, I)) of a diagonal Gaussian, averaged over its dimensions.

    Per dimension: -log sigma + (sigma^2 + mu^2 - 1) / 2. The mean over dimensions (the full KL
    divided by the dimension) is what the StackGAN authors' code minimises, and what their KL
    weight of 2.0 was tuned for (Zhang et al. 2017, https://arxiv.org/abs/1612.03242).

    Args:
        mu: `[B, D]` means.
        log_sigma: `[B, D]` log standard deviations.

    Returns:
        `[B]` losses.
    """
    mu, log_sigma = _float(mu), _float(log_sigma)
    return tf.reduce_mean(
        -log_sigma + 0.5 * (tf.exp(2.0 * log_sigma) + tf.square(mu) - 1.0), axis=-1
    )


def get_losses(kind):
    """Returns `(generator_loss, discriminator_loss)` for a loss kind.

    Args:
        kind: One of `LOSS_KINDS`.

    Raises:
        ValueError: For an unknown kind, listing the known ones.
    """
    if kind not in LOSS_KINDS:
        raise ValueError(f"Unknown loss kind {kind!r}; expected one of {', '.join(LOSS_KINDS)}.")
    namespace = globals()
    return namespace[f"{kind}_generator_loss"], namespace[f"{kind}_discriminator_loss"]
