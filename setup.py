"""Packaging for keras-gans.

`export/` and `flags/` are installed as `keras_gans.export` and `keras_gans.flags`: top-level
`export` and `flags` packages already exist on PyPI and must not be shadowed.
"""

from setuptools import find_packages, setup

PACKAGES = (
    find_packages(include=["keras_gans", "keras_gans.*"])
    + ["keras_gans.export"]
    + ["keras_gans.export." + p for p in find_packages("export")]
    + ["keras_gans.flags"]
)

setup(
    name="keras-gans",
    version="0.1.0",
    description="The classic GAN family in Keras 3: trained with fit, distributed, exported.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=PACKAGES,
    package_dir={"keras_gans.export": "export", "keras_gans.flags": "flags"},
    install_requires=[
        "tensorflow>=2.16",
        "keras>=3.3",
        "tensorflow-datasets>=4.9",
        # tfds imports it to download and prepare a dataset but does not require it on
        # Python >= 3.9.
        "importlib_resources",
        "tf2onnx>=1.17",  # 1.16 pins a protobuf that TensorFlow >= 2.20 cannot use
        "absl-py>=1.0",
        "tensorboard",
        "numpy",
        "scikit-learn>=1.0",
        "scikit-image>=0.19",
        # Animated GIFs of latent walks (TensorFlow cannot encode GIF); scikit-image requires it
        # already, so this adds no download.
        "pillow>=9.1",
        # onnxruntime-gpu ships wheels for Linux x86_64 only; it falls back to the CPU provider
        # on machines without CUDA. Everywhere else, the plain CPU package.
        "onnxruntime-gpu>=1.17; platform_system == 'Linux' and platform_machine == 'x86_64'",
        "onnxruntime>=1.17; platform_system != 'Linux' or platform_machine != 'x86_64'",
    ],
    extras_require={
        # pytest < 9: pytest-xdist 3.8's --dist loadgroup renames `item._nodeid`, which pytest 9
        # no longer reads, so its groups (tests/conftest.py) silently stop working there.
        "test": ["pytest>=7,<9", "pytest-xdist>=3", "hypothesis>=6", "ruff>=0.15"],
    },
    entry_points={
        "console_scripts": [
            "keras-gans-train=keras_gans.flags.train:run",
            "keras-gans-eval=keras_gans.flags.eval_main:run",
            "keras-gans-export=keras_gans.flags.export_main:run",
            "keras-gans-sample=keras_gans.flags.sample_main:run",
            "keras-gans-translate=keras_gans.flags.translate_main:run",
        ],
    },
)
