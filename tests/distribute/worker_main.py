"""One worker of the two-worker test: trains with --strategy=multiworker and saves its weights."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from keras_gans.training import TrainConfig, train  # noqa: E402

if __name__ == "__main__":
    output_dir, weights_path = sys.argv[1], sys.argv[2]
    result = train(
        TrainConfig(model="dcgan", strategy="multiworker", epochs=1, steps_per_epoch=3,
                    batch_size=16, base_filters=8, export=False, verbose=0, output_dir=output_dir)
    )
    np.savez(weights_path, *[np.asarray(w) for w in result.model.weights])
