"""The CycleGAN step runs each generator once per input, outside the discriminator side's tape."""

import pytest
from cyclegan_case import tiny_cyclegan, unpaired_batches

BATCH = 4


def _count_generator_passes(model, batch):
    """Runs one eager train step; returns `(image passes, passes during the discriminator side)`.

    A pass is one image through one generator: a call on `[2B, ...]` (translation and identity
    joined) counts 2.
    """
    rows = {"all": 0, "discriminator_side": 0}
    in_discriminator_side = [False]

    def counting(network):
        call = network.call

        def counted(inputs, *args, **kwargs):
            rows["all"] += int(inputs.shape[0])
            rows["discriminator_side"] += int(inputs.shape[0]) if in_discriminator_side[0] else 0
            return call(inputs, *args, **kwargs)

        return counted

    discriminator_losses = model.discriminator_losses

    def flagged_discriminator_losses(*args, **kwargs):
        in_discriminator_side[0] = True
        try:
            return discriminator_losses(*args, **kwargs)
        finally:
            in_discriminator_side[0] = False

    for network in (model.generator_ab, model.generator_ba):
        network.call = counting(network)
    model.discriminator_losses = flagged_discriminator_losses
    try:
        model.train_step(batch)
    finally:
        for network in (model.generator_ab, model.generator_ba):
            del network.call
        del model.discriminator_losses
    return rows["all"] / BATCH, rows["discriminator_side"] / BATCH


@pytest.mark.parametrize("identity_weight, expected", [(5.0, 6), (0.0, 4)])
def test_one_step_runs_each_generator_once_per_input(identity_weight, expected):
    # The reference code's count: G_AB(a), G_BA(G_AB(a)), G_BA(b), G_AB(G_BA(b)), plus the two
    # identity maps G_AB(b), G_BA(a) when the identity term is on.
    model = tiny_cyclegan(identity_weight=identity_weight)
    model.compile()
    dataset, _ = unpaired_batches(num_examples=BATCH, batch_size=BATCH)
    passes, in_discriminator_side = _count_generator_passes(model, next(iter(dataset)))
    assert passes == expected
    # The discriminator side takes the step's fakes as constants: its tape holds no generator
    # activations.
    assert in_discriminator_side == 0
    assert model.d_optimizer.iterations.numpy() == model.g_optimizer.iterations.numpy() == 1
    assert int(model.pool_a.count.numpy()) == int(model.pool_b.count.numpy()) == 3
    logs = {metric.name: float(metric.result()) for metric in model.metrics}
    terms = {"d_a", "d_b", "adv_ab", "adv_ba", "cycle"} | (
        {"identity"} if identity_weight else set()
    )
    assert terms <= set(logs)
    assert logs["d_loss"] == pytest.approx(logs["d_a"] + logs["d_b"], rel=1e-5)
