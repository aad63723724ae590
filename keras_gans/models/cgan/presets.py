"""CGAN presets: `TrainConfig` values by name; the first is the default and `CGAN.build()`'s
networks."""

# The paper-sized (256, 512) generator drops much of each class's variety on the digits: its
# Frechet classifier distance stays 3.5x the real-versus-real baseline or more (and grows after 250
# epochs). A (1024, 1024) generator with the hinge loss and beta_1 = 0 brings it to 1.4x (seed 0;
# 1.7x with seed 1) in 200 epochs, about 2.5 minutes on 2 busy cores
# (keras_gans.metrics.evaluate_run); (512, 1024) reaches 1.9-2.1x. The discriminator keeps the
# paper's size: narrower is worse. On the 896-digit train split (the held-out protocol) 200
# epochs give 1.76x (seed 0); 400 epochs with DiffAugment's translation and cutout, which took
# the unconditional GAN from 5.6x to 3.9x, gave 3.77x here. An EMA of the generator's weights
# with decay 0.99 (a horizon of about 100 of the run's 2,800 steps) brought seeds 0-2 from 1.76x,
# 2.14x and 1.91x to 1.39x, 1.36x and 1.26x (each scored with evaluation seed 0); benchmarks/
# quality.py, which scores each run with its own seed, reads 1.39x, 1.62x and 1.67x, and with
# five evaluation draws pooled 1.44x, 1.48x and 1.70x. 0.999 (a horizon of a third of the run)
# gave 7.84x at seed 0. 150 epochs instead of 200 gave 1.74x (seed 0, five draws).
GENERATOR_UNITS = (1024, 1024)
# The conv networks' width (`base_filters`) when neither the caller nor a preset sets it.
CONV_BASE_FILTERS = 64

PRESETS = {
    # The default run of keras-gans-train: the paper's conditional MLPs with the wider generator
    # above, hinge loss, Adam(3e-4, beta_1 = 0) and the EMA above, on the bundled digits' train
    # split.
    "cgan": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 200,
        "latent_dim": 64,
        "loss": "hinge",
        # 3e-4 rather than 2e-4 (with the XLA settings below): seeds 0-2 at 1.36x, 1.24x and
        # 1.23x instead of 1.51x, 1.64x and 1.29x in the same 200 epochs; 240 epochs at 2e-4 gave
        # 1.37x, 1.42x and 1.21x (five draws each; quality_tuning.json, cgan_lr3e4, cgan_e240).
        "learning_rate": 3e-4,
        "beta_1": 0.0,
        "ema_decay": 0.99,
        # XLA with one call per epoch: 2,800 steps at 16-19 ms instead of 24-28 ms (2 cores), the
        # same steps with other float round-off: at 2e-4, 1.51x, 1.64x and 1.29x (1.44x, 1.48x
        # and 1.70x without XLA) in 54-57 s of training instead of 83-90 s.
        "jit_compile": True,
        "steps_per_execution": "epoch",
    },
    # The convolutional CGAN (conv_networks.py) on the same digits, trained by the same step.
    # It misses the MLP's quality: conditional accuracy 0.990 but FCD 7.2x the real baseline at 60
    # epochs (8.5x at 100, D winning; 10.8x with beta_1 0 and no BatchNorm in D; EMA 0.999 ruined
    # it), about 3 minutes on 2 busy cores (all 1,797 digits). On the 896-digit train split it
    # trains as many steps (120 epochs), with DiffAugment's translation and cutout: 3.53x at
    # seed 0. An EMA of 0.99 (as the MLPs') took it to 2.6x at 120 epochs (seeds 0 and 1), 2.1x
    # at 200, 1.64x at 300 and 1.81x at 400 (accuracy 0.963); 0.995 gave 1.69x at 300, a
    # base_filters of 128 2.32x at 200 (four times slower), no DiffAugment with beta_1 = 0 3.09x
    # at 120 (seed 0; quality_tuning.py). At 300 epochs seeds 0-2 read 1.64x, 1.73x and 1.98x;
    # the projection discriminator (conv_networks.py) took them to 1.43x, 1.48x and 1.76x
    # (accuracy 0.99), 216 s of training on the idle 2 cores.
    "cgan_conv": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 300,
        "latent_dim": 64,
        "architecture": "conv",
        "augment": "translation,cutout",
        "base_filters": 64,
        "loss": "hinge",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
        "ema_decay": 0.99,
    },
}
