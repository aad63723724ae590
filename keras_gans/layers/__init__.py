"""Custom layers shared by the models; each is registered for `.keras` saving."""

from keras_gans.layers.conditioning_augmentation import ConditioningAugmentation
from keras_gans.layers.fused_batch_norm import FusedBatchNormalization
from keras_gans.layers.minibatch_std import MinibatchStandardDeviation
from keras_gans.layers.pad_to_multiple import CropLike, PadToMultiple
from keras_gans.layers.pyramid import (
    GaussianDownsample2D,
    GaussianUpsample2D,
    LaplacianPyramid,
    LaplacianReconstruction,
)
from keras_gans.layers.reflection_padding import ReflectionPadding2D
from keras_gans.layers.tanh_refinement import TanhRefinement

__all__ = [
    "ConditioningAugmentation",
    "CropLike",
    "FusedBatchNormalization",
    "GaussianDownsample2D",
    "GaussianUpsample2D",
    "LaplacianPyramid",
    "LaplacianReconstruction",
    "MinibatchStandardDeviation",
    "PadToMultiple",
    "ReflectionPadding2D",
    "TanhRefinement",
]
