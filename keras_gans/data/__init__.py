"""Data sources and input pipelines: every element is `{"images", optional "labels"}`.

Images are float32 `[H, W, C]` in [-1, 1]; labels are int32 class indices. Unpaired two-domain
data (CycleGAN) has elements `{"image_a", "image_b"}` instead (`keras_gans.data.unpaired`).
"""

from keras_gans.data.digits import DIGITS_NUM_CLASSES, load_digits
from keras_gans.data.faces import load_faces
from keras_gans.data.folder import IMAGE_EXTENSIONS, load_folder
from keras_gans.data.info import DatasetInfo
from keras_gans.data.pipeline import dataset_from_arrays, make_dataset, validate_labels
from keras_gans.data.tfds_source import load_tfds
from keras_gans.data.unpaired import (
    load_unpaired_examples,
    make_unpaired_dataset,
    unpaired_from_arrays,
)

__all__ = [
    "DIGITS_NUM_CLASSES",
    "IMAGE_EXTENSIONS",
    "DatasetInfo",
    "dataset_from_arrays",
    "load_digits",
    "load_faces",
    "load_folder",
    "load_tfds",
    "load_unpaired_examples",
    "make_dataset",
    "make_unpaired_dataset",
    "unpaired_from_arrays",
    "validate_labels",
]
