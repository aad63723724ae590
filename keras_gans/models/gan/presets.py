"""GAN presets: `TrainConfig` values by name; the first is the default and `GAN.build()`'s
networks."""

# The paper's (256, 512) generator with the non-saturating loss scores 36x the real baseline's
# Frechet classifier distance on the held-out digits after 100 epochs; a (1024, 1024) generator
# with the hinge loss and beta_1 = 0 (as the CGAN preset) 7.4x after 200; an EMA of its weights
# (0.999) 5.6x after 400; DiffAugment's translation and cutout 3.9x; an EMA of 0.99 instead
# (a horizon of 100 of the 5,600 steps, as the CGAN's) 3.4x (seed 0 each). At three seeds,
# benchmarks/quality.py reads 3.41x, 2.73x and 3.54x with it, 3.85x, 3.15x and 4.15x without.
# With the EMA of 0.99, DiffAugment no longer helps: without it seed 0 scores 2.34x (five
# evaluation draws pooled, quality_tuning.py), against 3.4x with it; quality.py reads 2.34x,
# 2.35x and 3.25x at seeds 0 to 2.
GENERATOR_UNITS = (1024, 1024)

PRESETS = {
    # The paper's discriminator MLP and a wider generator on the bundled digits at 16x16, with
    # hinge loss, Adam beta_1 = 0 and a moving average of the generator.
    "gan": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 400,
        "latent_dim": 64,
        "loss": "hinge",
        "learning_rate": 2e-4,
        "beta_1": 0.0,
        "ema_decay": 0.99,
    },
}
