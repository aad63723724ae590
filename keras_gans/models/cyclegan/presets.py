"""CycleGAN presets: `TrainConfig` values by name; the first is the default and
`CycleGAN.build()`'s.

`decay_epochs` is left out of the CPU preset: one not given is half the epochs
(`TrainConfig.with_defaults`), so `--epochs=1` trains too.
"""

PRESETS = {
    # CPU preset: grass (A) <-> gravel (B) from scikit-image's bundled greyscale photos, random
    # 32x32 crops with flips, 22 epochs of 128 steps of 4 crops. Batch 4 instead of 8 (the same
    # crops, twice the updates) at 24 epochs moved every median of three seeds: cycle L1 0.117 /
    # 0.084 to 0.106 / 0.076 (A->B / B->A), A->B FCD ratio 11.05 to 9.98, B->A domain accuracy
    # 0.953 to 0.956 (quality_tuning.json, cyc_b4_e24 against cyc_e28); 24 epochs took up to
    # 309 s, so 22 keep the 5-minute budget. The paper's structure (ResNet generators with 6
    # blocks, 70x70 PatchGANs, least squares, cycle 10, identity 5, pool 50, Adam beta_1 0.5,
    # constant then linear decay over the second half) shrunk to ngf = ndf = 12 (paper: 64);
    # learning rate 1e-3 (paper: batch 1, 2e-4 over ~200k steps) so that 2,816 steps suffice.
    # At batch 4, 7e-4 was worse at seed 0 and 1.5e-3 over seeds 0-2 (cyc_b4_lr*).
    "cyclegan": {
        "dataset": "textures",
        "image_size": 32,
        "channels": 1,
        "batch_size": 4,
        "epochs": 22,
        "base_filters": 12,
        "residual_blocks": 6,
        "loss": "least_squares",
        "learning_rate": 1e-3,
        "beta_1": 0.5,
    },
    # As Zhu et al. trained it: horse2zebra (TFDS cycle_gan/horse2zebra, trainA/trainB), 256x256
    # crops of 286x286 resizes with random flips, 9 residual blocks, ngf = ndf = 64, batch 1, least
    # squares, Adam 2e-4 / beta_1 0.5, 100 epochs constant then 100 of linear decay. Needs the
    # TFDS download (about 110 MB) and a GPU.
    "cyclegan_horse2zebra": {
        "dataset": "tfds:cycle_gan/horse2zebra",
        "image_size": 256,
        "channels": 3,
        "batch_size": 1,
        "epochs": 200,
        "decay_epochs": 100,
        "base_filters": 64,
        "residual_blocks": 9,
        "loss": "least_squares",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
