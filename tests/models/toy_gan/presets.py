"""ToyGAN presets: the first is the default and `ToyGAN.build()`'s networks."""

PRESETS = {
    "toy": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 16,
        "epochs": 1,
        "latent_dim": 8,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
