"""`import keras_gans` is all a user needs: its public names, and loading what the library saved."""

import json
import os
import subprocess
import sys

import keras_gans
from keras_gans import CGAN, DCGAN, GAN, LAPGAN, CycleGAN, StackGAN


def test_public_names():
    # Changing these is an API change.
    assert sorted(keras_gans.__all__) == [
        "AdversarialModel",
        "CGAN",
        "CycleGAN",
        "DCGAN",
        "GAN",
        "LAPGAN",
        "StackGAN",
        "export_model",
        "losses",
        "make_dataset",
    ]
    for name in keras_gans.__all__:
        assert getattr(keras_gans, name) is not None
    assert keras_gans.export_model is keras_gans.export.export_model


def _run(script):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def _tiny_models():
    stage1 = StackGAN.build(
        stage=1,
        image_size=8,
        channels=1,
        latent_dim=4,
        condition_dim=4,
        vocabulary=["a", "thick", "seven"],
        base_filters=4,
    )
    return {
        "gan": GAN.build(image_shape=(8, 8, 1), latent_dim=8),
        "cgan": CGAN.build(image_shape=(8, 8, 1), latent_dim=8, num_classes=3),
        "dcgan": DCGAN.build(image_shape=(16, 16, 1), latent_dim=8, base_filters=8),
        "lapgan": LAPGAN.build(
            image_shape=(16, 16, 1),
            levels=3,
            latent_dim=8,
            num_classes=3,
            filters=4,
            coarse_units=(16,),
            coarse_discriminator_units=(16,),
        ),
        # Stage I brings the text encoder (TextVectorization) and Conditioning Augmentation; Stage
        # II holds Stage I's chain, whose noise split is a library layer.
        "stackgan1": stage1,
        "stackgan2": StackGAN.build(
            stage=2,
            stage1=stage1.chain(),
            condition_dim=4,
            base_filters=4,
            residual_blocks=1,
        ),
        "cyclegan": CycleGAN.build(image_shape=(32, 32, 1), base_filters=4, num_blocks=1),
    }


def test_every_saved_model_loads_after_import_keras_gans_alone(tmp_path):
    paths = {}
    for name, model in _tiny_models().items():
        model.compile()
        paths[name] = str(tmp_path / f"{name}.keras")
        model.save(paths[name])
    script = (
        "import json, keras\n"
        "import keras_gans\n"
        f"paths = {paths!r}\n"
        "print(json.dumps({name: type(keras.saving.load_model(p)).__name__ "
        "for name, p in paths.items()}))\n"
    )
    assert json.loads(_run(script)) == {
        "gan": "GAN",
        "cgan": "CGAN",
        "dcgan": "DCGAN",
        "lapgan": "LAPGAN",
        "stackgan1": "StackGAN",
        "stackgan2": "StackGAN",
        "cyclegan": "CycleGAN",
    }


def test_without_tensorflow_the_package_imports_and_names_what_is_missing():
    script = (
        "import sys\n"
        "sys.modules['tensorflow'] = None  # any `import tensorflow` now raises ImportError\n"
        "sys.modules['keras'] = None\n"
        "import keras_gans\n"
        "from keras_gans.export import OnnxRunner\n"
        "try:\n"
        "    keras_gans.GAN\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    assert _run(script).startswith("keras_gans.GAN needs TensorFlow and Keras")
