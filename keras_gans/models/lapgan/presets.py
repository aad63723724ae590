"""LAPGAN presets: `TrainConfig` values by name; the first is the default and `LAPGAN.build()`'s
networks.

`base_filters` is the finer levels' width (paper: 128); the coarse MLPs scale with it
(`LAPGAN.build`: 1200 units at 128), so one value sizes the whole model.
"""

PRESETS = {
    # CPU preset: scikit-image's bundled LFW faces (100 and their mirror images) at 32x32 grey, a
    # 3-level pyramid 8 -> 16 -> 32. The paper's structure (MLP coarse GAN, 3-layer G / 2-layer D
    # convnets with 5x5 kernels at the finer levels), widths shrunk by 4: 32 feature maps and
    # 300-unit coarse MLPs. About 3 minutes of CPU time on 2 cores (1,800 steps of batch 20).
    "lapgan": {
        "dataset": "faces",
        "image_size": 32,
        "channels": 1,
        "batch_size": 20,
        "epochs": 180,
        "latent_dim": 100,
        "levels": 3,
        "base_filters": 32,
        "conditional": False,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
    # The bundled digits' train split at 16x16, a 2-level pyramid 8 -> 16 (the digits are 8x8
    # photos upsampled), evaluated like the other digits models. Hinge loss and beta_1 = 0 took
    # the FCD ratio from 15.6x (the faces preset's non-saturating loss, 200 epochs) to 4.2x at 300
    # epochs (seed 0; 4.08x in five evaluation draws, seeds 1 and 2 3.23x and 2.96x). An EMA of
    # 0.99 alone gave 3.67x; with the coarsest level widened to the vanilla GAN preset's MLPs
    # (coarse_units 1024: G 1024-1024, D 512-256, against 300-300 and 300-300 from base_filters)
    # 2.09x (seed 0; benchmarks/results/quality_tuning.json): at 8x8 the coarse GAN draws the
    # digit, and the finer level only sharpens it.
    "lapgan_digits": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 300,
        "latent_dim": 100,
        "levels": 2,
        # The fine level at 16 maps (32 before): a quarter of its 5x5 convolutions' work, which
        # dominate the step, for the same FCD (2.04x against 2.13x at seed 0).
        "base_filters": 16,
        "conditional": False,
        "coarse_units": 1024,
        "loss": "hinge",
        "learning_rate": 2e-4,
        "beta_1": 0.0,
        "ema_decay": 0.99,
        # XLA and one call per epoch: 1.2 s per epoch at 32 maps against 1.8-2.0 s for the plain
        # step. With the narrower fine level, 300 epochs train in under 5 minutes on 2 cores
        # (437 s with XLA at 32 maps).
        "jit_compile": True,
        "steps_per_execution": "epoch",
    },
    # As Denton et al. trained it on CIFAR-10: 8 -> 16 -> 32, coarse MLPs of 1200 units with z 100,
    # finer levels 128 5x5 maps. Add --conditional for the class-conditional variant. The paper's
    # SGD schedule is replaced by Adam(2e-4, beta_1 0.5). Needs the TFDS download and, to be
    # quick, a GPU (add --strategy=mirrored).
    "lapgan_cifar10": {
        "dataset": "tfds:cifar10",
        "image_size": 32,
        "channels": 3,
        "batch_size": 128,
        "epochs": 100,
        "latent_dim": 100,
        "levels": 3,
        "base_filters": 128,
        "conditional": False,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
