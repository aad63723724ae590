"""StackGAN: text to image in two stages (Zhang et al. 2017, https://arxiv.org/abs/1612.03242)."""

from keras_gans.models.stackgan.chain import SplitFeatures
from keras_gans.models.stackgan.model import STAGE2_UPSCALE, StackGAN
from keras_gans.models.stackgan.networks import (
    build_stage1_generator,
    build_stage2_generator,
    build_text_discriminator,
)
from keras_gans.models.stackgan.spec import SPEC
from keras_gans.models.stackgan.text import build_text_encoder, vocabulary_from_captions
from keras_gans.registry import register_model

__all__ = [
    "STAGE2_UPSCALE",
    "SplitFeatures",
    "StackGAN",
    "build_stage1_generator",
    "build_stage2_generator",
    "build_text_discriminator",
    "build_text_encoder",
    "vocabulary_from_captions",
]

register_model(SPEC)
