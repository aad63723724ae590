"""DCGAN presets: `TrainConfig` values by name; the first is the default and `DCGAN.build()`'s
networks."""

PRESETS = {
    # CPU preset: the bundled digits' train split at 32x32, widths halved (base_filters 32
    # instead of 64). On the held-out protocol (seed 0) the paper's loss scored 6.7x the real
    # baseline's FCD after 200 epochs (11.5x after the former 30), an EMA of 0.999 52.8x (too
    # slow for 2,800 steps), DiffAugment (color, translation, cutout) 4.3x, and the hinge loss
    # with translation and cutout 3.4x.
    "dcgan": {
        "dataset": "digits",
        "image_size": 32,
        "channels": 1,
        "batch_size": 64,
        "epochs": 200,
        "latent_dim": 100,
        "base_filters": 32,
        "augment": "translation,cutout",
        # No instance noise (--instance_noise): at 0.05 a probe read 2.96 / 3.20 / 2.96 / 3.59
        # at seeds 0-3, but the same setting with the library's own draws 4.20 / 3.54 / 3.06 at
        # seeds 0-2 (quality_tuning.json dc_in005, dc_in005_lib): no gain beyond the seed noise.
        "loss": "hinge",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
        # Adam's second moment over ~10 steps instead of ~1,000, as WGAN-GP (Gulrajani et al.
        # 2017) sets it: held-out FCD ratio 3.26 / 3.77 / 3.10 at seeds 0-2 against 0.999's
        # 3.50 / 4.33 / 3.47 (quality_tuning.json, dc_b2_09*).
        "beta_2": 0.9,
        # XLA and one call per epoch: 1.6x the steps per second of the plain step on 2 cores,
        # which brings 200 epochs under the 5-minute budget.
        "jit_compile": True,
        "steps_per_execution": "epoch",
    },
    # As Radford et al. trained it: LSUN bedrooms at 64x64, ngf = ndf = 64, z 100, batch 128,
    # Adam 2e-4 / beta_1 0.5. Needs the TFDS download (large) and a GPU (add --strategy=mirrored).
    "dcgan_paper": {
        "dataset": "tfds:lsun/bedroom",
        "image_size": 64,
        "channels": 3,
        "batch_size": 128,
        "epochs": 5,
        "latent_dim": 100,
        "base_filters": 64,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
