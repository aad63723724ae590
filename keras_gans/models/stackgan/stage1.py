"""Stage II's Stage I: a trained Stage-I StackGAN, its saved `.keras` file or its chain."""

import os

import keras


def is_trained(model):
    """Whether a compiled `model` has taken a discriminator step."""
    # convert_to_numpy: under a strategy the counter is a MirroredVariable.
    return model.compiled and int(keras.ops.convert_to_numpy(model.d_optimizer.iterations)) > 0


def load_stage1(path, stackgan_class):
    """The `stackgan_class` model saved at `path` (compiled, so that its training steps are
    known)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(
            f"stage=2 needs a trained Stage I, but there is no file at {path!r}: train Stage I "
            "first (keras-gans-train --model=stackgan --stage=1) and pass its model.keras."
        )
    model = keras.saving.load_model(path)
    if not isinstance(model, stackgan_class):
        raise ValueError(f"{path!r} holds a {type(model).__name__}, not a StackGAN.")
    return model


def resolve_stage1(stage1, text_encoder, stackgan_class):
    """`(Stage-I chain, text encoder)` from a StackGAN, a `.keras` path or a chain.

    Args:
        stage1: A trained `stackgan_class(stage=1)`, the path of its `.keras` file, or its chain
            `[text_embedding, noise] -> images`.
        text_encoder: The text encoder that goes with a chain (a model brings its own).
        stackgan_class: `StackGAN` (passed in: this module is imported by the model's).

    Raises:
        ValueError: If `stage1` is none of these, or an untrained or Stage-II model.
    """
    if stage1 is None:
        raise ValueError(
            "stage=2 needs a trained Stage I: pass stage1=<a trained StackGAN(stage=1)> or the "
            "path of its .keras file (the model.keras of a --stage=1 run); received None."
        )
    if isinstance(stage1, (str, os.PathLike)):
        stage1 = load_stage1(stage1, stackgan_class)
    if isinstance(stage1, stackgan_class):
        if stage1.stage != 1:
            raise ValueError(
                f"stage1 must be a Stage-I StackGAN; received one with stage={stage1.stage}."
            )
        if not is_trained(stage1):
            raise ValueError(
                "stage=2 needs a trained Stage I; the StackGAN(stage=1) given has taken no "
                "training step. Train it first (fit, or keras-gans-train --stage=1)."
            )
        return stage1.chain(), stage1.text_encoder
    if isinstance(stage1, keras.Model) and [t.name for t in stage1.inputs] == [
        "text_embedding",
        "noise",
    ]:
        return stage1, text_encoder
    raise ValueError(
        "stage1 must be a StackGAN(stage=1), the path of its .keras file, or its chain "
        f"[text_embedding, noise] -> images; received {type(stage1).__name__}."
    )
