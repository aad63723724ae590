"""scikit-image's bundled LFW faces: a tiny unlabelled face set that needs no download."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_gans.data.images import check_positive_int

# `skimage.data.lfw_subset()` holds 100 faces then 100 non-faces, 25x25 grey in [0, 1].
_NUM_FACES = 100


def load_faces(image_size: int = 32, mirror: bool = True) -> np.ndarray:
    """Loads the 100 face crops of scikit-image's `lfw_subset()` as GAN-ready images.

    Huang et al. 2007, Labeled Faces in the Wild (http://vis-www.cs.umass.edu/lfw/), as bundled
    with scikit-image: 25x25 grey crops around the face.

    Args:
        image_size: Height and width of the returned images; an integer >= 8, resized with
            antialiased bilinear resampling.
        mirror: Also return every face flipped left to right (a face's mirror image is a face),
            doubling the set to 200 images.

    Returns:
        float32 images `[100 or 200, image_size, image_size, 1]` in [-1, 1].

    Raises:
        ValueError: If `image_size` is not an integer >= 8.
    """
    image_size = check_positive_int("image_size", image_size, minimum=8)
    # Imported here so that importing keras_gans.data does not pay for scikit-image.
    from skimage.data import lfw_subset

    faces = lfw_subset()[:_NUM_FACES].astype(np.float32)[..., np.newaxis]
    if mirror:
        faces = np.concatenate([faces, faces[:, :, ::-1]])
    faces = tf.image.resize(
        faces, [image_size, image_size], method="bilinear", antialias=True
    ).numpy()
    return (np.clip(faces, 0.0, 1.0) * 2.0 - 1.0).astype(np.float32)
