"""Data sources and input pipelines: every element is `{"images", optional "labels"}`.

Images are float32 `[H, W, C]` in [-1, 1]; labels are int32 class indices.
"""

from keras_gans.data.digits import DIGITS_NUM_CLASSES, load_digits
from keras_gans.data.folder import IMAGE_EXTENSIONS, load_folder
from keras_gans.data.info import DatasetInfo
from keras_gans.data.pipeline import dataset_from_arrays, make_dataset, validate_labels
from keras_gans.data.tfds_source import load_tfds

__all__ = [
    "DIGITS_NUM_CLASSES",
    "IMAGE_EXTENSIONS",
    "DatasetInfo",
    "dataset_from_arrays",
    "load_digits",
    "load_folder",
    "load_tfds",
    "make_dataset",
    "validate_labels",
]
