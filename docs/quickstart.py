"""The README's Python quickstart: the default `keras-gans-train` run (the `cgan` preset), from Python.

`tests/test_quickstart.py` runs this file with `fit` and `export_model` stubbed and checks that it
builds the very networks, loss and optimizers the CLI trains.
"""

import keras_gans

dataset, info = keras_gans.make_dataset("digits", image_size=16, channels=1, batch_size=64, with_labels=True)
cgan = keras_gans.CGAN.from_preset("cgan")  # keras_gans/models/cgan/presets.py; = CGAN.build(), compiled
cgan.fit(dataset, epochs=200)
keras_gans.export_model(cgan, "export/cgan")
