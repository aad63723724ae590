"""CycleGAN presets: `TrainConfig` values by name; the first is the default and
`CycleGAN.build()`'s.

`decay_epochs` is left out of the CPU preset: one not given is half the epochs
(`TrainConfig.with_defaults`), so `--epochs=1` trains too.
"""

PRESETS = {
    # CPU preset: grass (A) <-> gravel (B) from scikit-image's bundled greyscale photos, random
    # 32x32 crops with flips, 30 epochs of 128 steps of 4 crops. Batch 4 instead of 8 (the same
    # crops, twice the updates) moved every median of three seeds (cyc_b4_e24 against cyc_e28 in
    # quality_tuning.json). 3 residual blocks instead of the paper's 6 take about two thirds of the
    # step, buying 32 epochs for the 22 of 6 blocks: cycle L1 medians 0.109 / 0.079 to 0.081 /
    # 0.059 (A->B / B->A), B->A domain accuracy 0.958 to 1.0, A->B FCD ratio 8.92 to 9.88
    # (cyc_rb3_e32); 32 epochs took up to 299 s, so 30 keep the 5-minute budget. The paper's
    # structure otherwise (ResNet generators, 70x70 PatchGANs, least squares, cycle 10, identity
    # 5, pool 50, Adam beta_1 0.5, constant then linear decay over the second half) shrunk to
    # ngf = ndf = 12 (paper: 64); learning rate 1e-3 (paper: batch 1, 2e-4 over ~200k steps) so
    # that 3,840 steps suffice. At batch 4, 7e-4 was worse at seed 0 and 1.5e-3 over seeds 0-2
    # (cyc_b4_lr*). No XLA, unlike the digits presets: compiled, a step took about 10 s on a
    # 2-core Zen 4 EPYC against about 55 ms without, and one call per epoch did not finish
    # compiling in 10 minutes.
    "cyclegan": {
        "dataset": "textures",
        "image_size": 32,
        "channels": 1,
        "batch_size": 4,
        "epochs": 30,
        "base_filters": 12,
        "residual_blocks": 3,
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
