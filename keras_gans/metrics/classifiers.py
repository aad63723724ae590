"""Reference classifiers for the bundled data, trained by the library in seconds and cached.

They stand in for Inception (TF-GAN's MNIST evaluation uses its own MNIST classifier the same way):
their logits feed the classifier score and the accuracies, their penultimate layer the Frechet and
kernel distances. Nothing is downloaded: the digits come with scikit-learn, the grass and gravel
textures with scikit-image.

Each classifier is trained on one split of its data and reports its accuracy on a disjoint
held-out split (another region of the photos for the textures): the digits' `train` part of
`keras_gans.data.digits.digits_parts` (the generators' training data too) and both held-out
quarters; the textures' top three quarters (CycleGAN's training region) and bottom quarter.
Trained classifiers are cached as `.keras` files (with a `.json` of their held-out accuracy) under
`cache_dir`, default `$KERAS_GANS_CACHE` or `~/.cache/keras_gans`.
"""

import dataclasses
import os
from typing import Optional

import keras
import numpy as np
import tensorflow as tf

from keras_gans import run_files

# The digits' split lives in the data layer (the training pipeline uses it too); re-exported here.
from keras_gans.data.digits import (  # noqa: F401
    digits_part_indices,
    digits_parts,
    digits_split,
    digits_split_indices,
)

# Bumped whenever training changes, so stale cached classifiers are not reused.
_VERSION = 4

DIGITS_CLASS_NAMES = tuple(str(digit) for digit in range(10))
TEXTURE_CLASS_NAMES = ("grass", "gravel")


@dataclasses.dataclass
class ReferenceClassifier:
    """A trained classifier with its logits and its penultimate (feature) layer.

    Attributes:
        model: Functional model `images [B, S, S, 1]` -> `{"logits": [B, K], "features": [B, F]}`.
        name: `digits` or `textures`.
        class_names: Name of each class index.
        heldout_accuracy: Accuracy on the held-out split it was not trained on.
        path: The cached `.keras` file, or None.
    """

    model: keras.Model
    name: str
    class_names: tuple
    heldout_accuracy: float
    path: Optional[str] = None

    @property
    def image_size(self):
        return int(self.model.input.shape[1])

    def predict(self, images, batch_size=256):
        """`(logits [N, K], features [N, F])` as float64 numpy arrays.

        Args:
            images: `[N, H, W, C]` in [-1, 1]; 3 channels are averaged to grey and other sizes are
                resized to the classifier's (antialiased bilinear).
            batch_size: Images per forward pass.
        """
        outputs = _forward(self.model, self.prepare(images), batch_size)
        return outputs["logits"], outputs["features"]

    def logits(self, images):
        """`[N, K]` class logits."""
        return self.predict(images)[0]

    def features(self, images):
        """`[N, F]` penultimate-layer activations."""
        return self.predict(images)[1]

    def prepare(self, images):
        """`images` as float32 `[N, S, S, 1]` at the classifier's size."""
        images = np.asarray(images, dtype=np.float32)
        if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
            raise ValueError(
                f"images must be [N, H, W, 1 or 3] with N >= 1; received shape {images.shape}."
            )
        if images.shape[-1] == 3:
            images = images.mean(axis=-1, keepdims=True)
        size = self.image_size
        if images.shape[1:3] != (size, size):
            images = tf.image.resize(
                images, [size, size], method="bilinear", antialias=True
            ).numpy()
        return images


def build_classifier_network(
    image_size, num_classes, widths=(32, 64), feature_units=64, global_pool=False, seed=0
):
    """A small CNN `images [B, S, S, 1]` -> `{"logits", "features"}`.

    Args:
        image_size: Square input size.
        num_classes: Number of output logits.
        widths: Filters of each 3x3 conv + 2x2 max-pool stage.
        feature_units: Width of the penultimate (feature) layer.
        global_pool: Average over positions before the features (textures: where a pattern lies
            carries no class information) instead of flattening (digits: it does).
        seed: Seed of the weight initialisers (no global random state is touched).
    """

    def init(index):
        return keras.initializers.GlorotUniform(seed=seed * 100 + index)

    images = keras.Input((image_size, image_size, 1), name="images")
    x = images
    for index, width in enumerate(widths):
        x = keras.layers.Conv2D(
            width, 3, padding="same", activation="relu", kernel_initializer=init(index)
        )(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.GlobalAveragePooling2D()(x) if global_pool else keras.layers.Flatten()(x)
    features = keras.layers.Dense(
        feature_units, activation="relu", kernel_initializer=init(len(widths)), name="features"
    )(x)
    logits = keras.layers.Dense(
        num_classes, kernel_initializer=init(len(widths) + 1), name="logits"
    )(features)
    return keras.Model(
        images, {"logits": logits, "features": features}, name="reference_classifier"
    )


def _forward(network, images, batch_size=256):
    """`{"logits", "features"}` float64 numpy arrays of `network` on `images`."""
    # Eager calls: `predict` traces a new graph for every batch shape, which costs more than
    # these small networks' forward passes.
    outputs = [
        network(images[i : i + batch_size], training=False)
        for i in range(0, len(images), batch_size)
    ]
    return {
        key: np.concatenate([np.asarray(out[key], np.float64) for out in outputs])
        for key in ("logits", "features")
    }


# -- Data ----------------------------------------------------------------------------------------
#: Regions of `texture_crops`: `heldout_a` and `heldout_b` are the two halves of `heldout`.
TEXTURE_REGIONS = ("train", "heldout", "heldout_a", "heldout_b")


def texture_crops(crop_size=32, num_per_class=1000, region="train", seed=0):
    """Random square crops of the grass (label 0) and gravel (label 1) textures.

    The photos are CycleGAN's `textures` domains (`keras_gans.data.unpaired.texture_photos`:
    scikit-image's greyscale `grass()` and `gravel()`, downscaled 2x), so the classifier sees what
    a translation model is trained on.

    Args:
        crop_size: Crop height and width in pixels, at most 64.
        num_per_class: Crops of each texture.
        region: `train` (crops of the top three quarters of each photo), `heldout` (the bottom
            quarter), `heldout_a` or `heldout_b` (its left and right halves): `train` and
            `heldout` share no pixel, nor do `heldout_a` and `heldout_b`.
        seed: Seed of the crop positions.

    Returns:
        `(images float32 [2 * num_per_class, crop_size, crop_size, 1] in [-1, 1], labels int32)`.
    """
    from keras_gans.data.unpaired import texture_photos

    if region not in TEXTURE_REGIONS:
        raise ValueError(
            f"region must be one of {', '.join(map(repr, TEXTURE_REGIONS))}; received {region!r}."
        )
    if isinstance(crop_size, bool) or not isinstance(crop_size, int) or not 1 <= crop_size <= 64:
        raise ValueError(f"crop_size must be an integer in [1, 64]; received {crop_size!r}.")
    rng = np.random.default_rng([seed, TEXTURE_REGIONS.index(region)])
    photos = texture_photos(region.replace("heldout", "test"), channels=1)
    crops, labels = [], []
    for label, photo in enumerate(photos):
        photo = photo[0, ..., 0]
        rows = rng.integers(0, photo.shape[0] - crop_size + 1, num_per_class)
        cols = rng.integers(0, photo.shape[1] - crop_size + 1, num_per_class)
        crops.extend(photo[r : r + crop_size, c : c + crop_size] for r, c in zip(rows, cols))
        labels.extend([label] * num_per_class)
    return np.stack(crops)[..., np.newaxis].astype(np.float32), np.asarray(labels, np.int32)


def texture_split(crop_size=32, num_per_class=1000, seed=0):
    """`((train_images, train_labels), (heldout_images, heldout_labels))` texture crops."""
    return (
        texture_crops(crop_size, num_per_class, "train", seed),
        texture_crops(crop_size, num_per_class, "heldout", seed),
    )


# -- Training and caching ------------------------------------------------------------------------
def default_cache_dir():
    """`$KERAS_GANS_CACHE`, else `~/.cache/keras_gans`."""
    return os.environ.get("KERAS_GANS_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "keras_gans"
    )


def _fit(network, train, heldout, epochs, batch_size, seed, shift=0.0):
    """Trains `network`'s logits with Adam and cosine decay.

    Returns:
        `(network with unit-scale features, held-out accuracy)`.
    """
    images, labels = train
    inputs = keras.Input(network.input.shape[1:])
    x = inputs
    if shift:
        # Random shifts of up to `shift` of the size: generated images are rarely perfectly
        # centred, and the held-out accuracy of the digits classifier gains about a point.
        x = keras.layers.RandomTranslation(
            shift, shift, fill_mode="constant", fill_value=-1.0, seed=seed
        )(x)
    logits = keras.Model(network.input, network.get_layer("logits").output)(x)
    trainer = keras.Model(inputs, logits)
    steps_per_epoch = -(-len(images) // batch_size)
    trainer.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, epochs * steps_per_epoch)
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        steps_per_execution=steps_per_epoch,
    )
    # Shuffled by numpy: a tf.data shuffle's order also depends on TensorFlow's global seed, which
    # a training run in the same process may have set. Every epoch's batches (the last one short)
    # go to one `fit` call, an epoch per execution: the steps, and so the weights bit for bit, of
    # one call per epoch, without a call's overhead each epoch.
    rng = np.random.default_rng(seed)
    orders = np.stack([rng.permutation(len(images)) for _ in range(epochs)])
    batches = tf.data.Dataset.from_tensor_slices(orders).flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices(
            (tf.gather(images, order), tf.gather(labels, order))
        ).batch(batch_size)
    )
    batches = batches.apply(tf.data.experimental.assert_cardinality(epochs * steps_per_epoch))
    trainer.fit(batches, epochs=1, shuffle=False, verbose=0)
    network = _with_unit_feature_scale(network, images)
    predicted = _forward(network, heldout[0])["logits"].argmax(axis=1)
    return network, float(np.mean(predicted == heldout[1]))


def _with_unit_feature_scale(network, images):
    """`network` with its features divided by their root mean square over `images`.

    The Frechet distance ratios do not change with a common scale, but the kernel distance's
    `(x.y / D + 1)^3` does: ReLU features of norm ~40 put it deep in its cubic regime, where its
    estimate is noise. At unit scale `x.y / D` is O(1), as with Inception's pool features.
    """
    features = _forward(network, images)["features"]
    scale = float(np.sqrt(np.mean(np.square(features)))) or 1.0
    outputs = network.output
    scaled = keras.layers.Rescaling(1.0 / scale, name="scaled_features")(outputs["features"])
    return keras.Model(
        network.input, {"logits": outputs["logits"], "features": scaled}, name=network.name
    )


def _cached_or_trained(key, name, class_names, cache_dir, make):
    """Loads `<cache_dir>/<key>.keras` or trains it with `make() -> (network, accuracy)`."""
    cache_dir = default_cache_dir() if cache_dir is None else os.fspath(cache_dir)
    path = os.path.join(cache_dir, "classifiers", f"{key}.keras")
    info_path = path[: -len(".keras")] + ".json"
    if os.path.isfile(path) and os.path.isfile(info_path):
        info = run_files.read_json(info_path)
        network = keras.saving.load_model(path, compile=False)
        return ReferenceClassifier(network, name, class_names, info["heldout_accuracy"], path)
    network, accuracy = make()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Atomic, so a concurrent reader (another test process, say) never sees half a file.
    run_files.save_keras(network, path)
    run_files.write_json(
        info_path, {"heldout_accuracy": accuracy, "name": name, "class_names": list(class_names)}
    )
    return ReferenceClassifier(network, name, class_names, accuracy, path)


def digits_classifier(image_size=16, seed=0, cache_dir=None, epochs=40):
    """The digits reference classifier at `image_size`, trained on `digits_split`'s train half.

    Args:
        image_size: Input size (the run's; other sizes are resized by `predict`).
        seed: Seed of the split, the weights and the shuffling: the same seed gives the same
            classifier.
        cache_dir: Folder of the cache (see the module docstring).
        epochs: Training epochs (fewer only for quick tests).

    Returns:
        A `ReferenceClassifier` with 10 classes and 64 features.
    """

    def make():
        train, heldout = digits_split(image_size, seed)
        network = build_classifier_network(image_size, len(DIGITS_CLASS_NAMES), seed=seed)
        return _fit(network, train, heldout, epochs, batch_size=32, seed=seed, shift=1 / 16)

    key = f"digits_v{_VERSION}_size{image_size}_seed{seed}_epochs{epochs}"
    return _cached_or_trained(key, "digits", DIGITS_CLASS_NAMES, cache_dir, make)


def texture_classifier(crop_size=32, seed=0, cache_dir=None, epochs=10, num_per_class=1000):
    """The grass-versus-gravel reference classifier on `crop_size` crops.

    Args:
        crop_size: Input size.
        seed: Seed of the crops, the weights and the shuffling.
        cache_dir: Folder of the cache (see the module docstring).
        epochs: Training epochs (fewer only for quick tests).
        num_per_class: Training crops of each texture.

    Returns:
        A `ReferenceClassifier` with 2 classes (`grass`, `gravel`) and 64 features.
    """

    def make():
        train, heldout = texture_split(crop_size, num_per_class, seed)
        network = build_classifier_network(
            crop_size, len(TEXTURE_CLASS_NAMES), global_pool=True, seed=seed
        )
        return _fit(network, train, heldout, epochs, batch_size=32, seed=seed)

    key = f"textures_v{_VERSION}_size{crop_size}_seed{seed}_epochs{epochs}_n{num_per_class}"
    return _cached_or_trained(key, "textures", TEXTURE_CLASS_NAMES, cache_dir, make)
