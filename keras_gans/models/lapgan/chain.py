"""The LAPGAN sampling chain: one functional Keras model from noise to images, coarse to fine.

Denton et al. 2015, https://arxiv.org/abs/1506.05751, section 3: I_0 = G_0(z_0), then at every
finer level l_k = upsample(I_{k-1}) and I_k = l_k + G_k(z_k, l_k). Starting the chain at a finer
level from a given coarse image instead of G_0's sample turns it into a stochastic
super-resolution model. The chain holds only the level generators, the exportable
`GaussianUpsample2D` and additions, so SavedModel and ONNX exports need nothing special.
"""

import keras

from keras_gans.layers.pyramid import GaussianUpsample2D


def chain_input_names(levels, start_level=0, conditional=False):
    """The chain's input names in order: `coarse_images`?, `noise_<k>`..., `labels`?."""
    names = ["coarse_images"] if start_level > 0 else []
    names += [f"noise_{level}" for level in range(start_level, levels)]
    return names + (["labels"] if conditional else [])


def build_sampling_chain(
    generators, conditional=False, upsample_taps=3, start_level=0, all_levels=False, name=None
):
    """The coarse-to-fine sampler over `generators` (level 0 first), sharing their weights.

    Args:
        generators: Level generators, coarse to fine: `generators[0]` maps `noise [B, latent]`
            (and `labels`) to images; each finer one maps `[noise, coarse, labels?]` to a residual.
        conditional: Whether the generators take `labels` (one input shared by every level).
        upsample_taps: Taps of the upsampling blur; the pyramid's used in training.
        start_level: 0 samples from noise alone; k > 0 starts from a given `coarse_images` input
            of level k - 1's size (super-resolution by 2**(levels - k)).
        all_levels: Also output every level's image (`level_<k>`, before the final `images`).
        name: Model name; default `lapgan_sampler` or `lapgan_super_resolution`.

    Returns:
        A `keras.Model` with inputs named as `chain_input_names` and output `images` (the finest
        level, `[B, H, W, C]`), preceded by `level_<k>` outputs when `all_levels`.
    """
    levels = len(generators)
    if not 0 <= start_level < levels:
        raise ValueError(f"start_level must lie in [0, {levels}); received {start_level!r}.")
    if name is None:
        name = "lapgan_sampler" if start_level == 0 else "lapgan_super_resolution"
    shapes = [tuple(generator.outputs[0].shape[1:]) for generator in generators]
    noises = {
        level: keras.Input(
            shape=tuple(generators[level].inputs[0].shape[1:]), name=f"noise_{level}"
        )
        for level in range(start_level, levels)
    }
    labels = keras.Input(shape=(), dtype="int32", name="labels") if conditional else None
    extra = [labels] if conditional else []
    # Float32 whatever the global policy: the chain adds float32 residuals to float32 images.
    upsample = GaussianUpsample2D(upsample_taps, name="upsample", dtype="float32")

    coarse = None
    if start_level > 0:
        coarse = keras.Input(shape=shapes[start_level - 1], name="coarse_images")
    image, outputs = coarse, []
    for level in range(start_level, levels):
        if level == 0:
            image = generators[0]([noises[0]] + extra if extra else noises[0], training=False)
        else:
            low = upsample(image)
            residual = generators[level]([noises[level], low] + extra, training=False)
            image = keras.layers.Add(name=f"level_{level}_sum", dtype="float32")([low, residual])
        outputs.append(image)
    images = keras.layers.Identity(name="images", dtype="float32")(outputs[-1])
    inputs = ([coarse] if coarse is not None else []) + list(noises.values()) + extra
    if not all_levels:
        return keras.Model(inputs, images, name=name)
    named = [
        keras.layers.Identity(name=f"level_{level}", dtype="float32")(tensor)
        for level, tensor in zip(range(start_level, levels - 1), outputs[:-1])
    ]
    return keras.Model(inputs, named + [images], name=name)
