"""GAN presets: `TrainConfig` values by name; the first is the default and `GAN.build()`'s
networks."""

PRESETS = {
    # The paper's MLPs on the bundled digits at 16x16.
    "gan": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 100,
        "latent_dim": 64,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
