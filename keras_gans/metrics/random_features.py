"""Download-free fallback features: a fixed, seeded, untrained convolutional network.

Why random convolutions rather than raw pixels and colour histograms: pixels and histograms see
colour and coarse layout but no local structure, so blur, checkerboard artefacts or broken edges
move them little. Untrained random filters respond to colour, edges and local texture (random
networks already carry texture statistics, cf. the random-weight texture synthesis of Ustyuzhaninov
et al. 2017, and Naeem et al. 2020 report random embeddings as a usable FID/PR backbone outside
ImageNet), and they need no download and no training, so a folder run always gets a figure.

What a figure on these features can tell: whether two sets differ in colour, contrast, edge and
texture statistics at the scale of patches up to 18 pixels of the 64 x 64 resized image, and in the
spread of those statistics (a collapsed generator has a small covariance); read beside the
real-versus-real figure at the same N, it ranks runs of one data set.

What it cannot tell: anything semantic (objects, classes, faces), since the filters learned
nothing; where things are, since the features are spatial means; and it is not comparable with
published FID/KID, with the Inception figures, or across seeds and sizes (the extractor's `name`
records both). Only the Inception graph (`keras_gans.metrics.inception`) gives standard figures.
"""

import numpy as np
import tensorflow as tf

from keras_gans.metrics import checks
from keras_gans.metrics.image_features import run_in_batches, to_rgb_uint8


class RandomConvFeatures:
    """Spatial means of the ReLU outputs of a fixed random 3-stage convolutional network.

    Each stage is a 3 x 3 convolution (no bias) with He-scaled Gaussian weights, a ReLU, a
    per-channel spatial mean (the stage's features) and a 2 x 2 average pool into the next stage;
    images are first resized to `size` x `size` (antialiased bilinear) and scaled to [-1, 1].
    The weights come from NumPy's legacy `RandomState(seed)`, whose stream is frozen (NEP 19), so
    the same seed gives the same features on any NumPy version.

    Attributes:
        name: E.g. `"random_conv_seed0_64px"`, for reports: figures compare only under one name.
        description: What figures on these features can and cannot tell.
        dimension: Feature size, `sum(widths)`.
    """

    description = (
        "fixed random convolutional features (download-free fallback): compare colour, edge and "
        "local texture statistics between sets of one data set, beside the real-versus-real "
        "figure; blind to semantics and layout, not comparable with published or Inception FID/KID."
    )

    def __init__(self, seed=0, size=64, widths=(16, 32, 64), batch_size=100):
        """Builds the network.

        Args:
            seed: Seed of the weights (a non-negative integer).
            size: Side, in pixels, images are resized to (>= 2 ** len(widths)).
            widths: Channels of each stage.
            batch_size: Images per call.
        """
        self.seed = checks.check_int_in("seed", seed, 0, 2**32 - 1)
        self.size = checks.check_int_in("size", size, 2 ** len(widths), 4096)
        self.batch_size = checks.check_int_in("batch_size", batch_size, 1, 10**6)
        rng = np.random.RandomState(self.seed)
        kernels, channels = [], 3
        for width in widths:
            width = checks.check_int_in("widths[i]", width, 1, 4096)
            # He scaling keeps the activations' scale roughly constant through the ReLUs.
            scale = np.sqrt(2.0 / (9 * channels))
            kernels.append(
                tf.constant(rng.standard_normal((3, 3, channels, width)) * scale, tf.float32)
            )
            channels = width
        self._kernels = kernels
        self.dimension = int(sum(widths))
        self.name = f"random_conv_seed{self.seed}_{self.size}px"

    @tf.function(reduce_retracing=True)
    def _features(self, rgb):
        x = tf.image.resize(
            tf.cast(rgb, tf.float32) / 127.5 - 1.0, (self.size, self.size), antialias=True
        )
        means = []
        for index, kernel in enumerate(self._kernels):
            if index:
                x = tf.nn.avg_pool2d(x, 2, 2, "VALID")
            x = tf.nn.relu(tf.nn.conv2d(x, kernel, 1, "SAME"))
            means.append(tf.reduce_mean(x, axis=[1, 2]))
        return tf.concat(means, axis=-1)

    def __call__(self, images):
        """`[N, dimension]` float64 features of `images`.

        Args:
            images: `[N, H, W, C]`, C in {1, 3}, float in [-1, 1] or uint8, any H and W; quantised
                to [0, 255] as if read from PNG files and grey ones repeated to RGB, as for the
                Inception features, so a folder and a generator's output are seen alike.
        """
        rgb = to_rgb_uint8(images)
        # On the CPU, so a figure is the same on any machine: a GPU's TF32 convolutions (on by
        # default on recent NVIDIA GPUs) would move it in the third digit. The network is small.
        with tf.device("/CPU:0"):
            return run_in_batches(
                lambda batch: self._features(tf.constant(batch)).numpy(), rgb, self.batch_size
            )
