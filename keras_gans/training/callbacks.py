"""Callbacks of a training run: sample grids, TensorBoard images and checkpoints."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans.images import make_grid, upscale, write_png


class SampleGrid(keras.callbacks.Callback):
    """Writes `samples/epoch_NNNN.png` from fixed noise (and labels) every `every` epochs.

    The model's `preview(seed)` returns `(images, columns)`, so each model decides what its grid
    shows (one row per class, input/translation/reconstruction, pyramid levels...).

    Args:
        directory: Folder of the PNG files.
        every: Write every this many epochs; the last epoch is always written.
        seed: Seed of the fixed noise.
        log_dir: Optional TensorBoard folder for an image summary of each grid.
        min_pixels: Small images are enlarged (nearest neighbour) to about this width.
    """

    def __init__(self, directory, every=1, seed=1234, log_dir=None, min_pixels=512):
        super().__init__()
        self.directory = directory
        self.every = every
        self.seed = seed
        self.min_pixels = min_pixels
        self._writer = tf.summary.create_file_writer(log_dir) if log_dir else None
        self.last_path = None

    def on_epoch_end(self, epoch, logs=None):
        last = self.params.get("epochs") == epoch + 1
        if (epoch + 1) % self.every and not last:
            return
        self.last_path = self.write(epoch + 1)

    def write(self, epoch):
        images, columns = self.model.preview(self.seed)
        grid = make_grid(images, columns)
        grid = upscale(grid, max(1, -(-self.min_pixels // grid.shape[1])))
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        write_png(path, grid)
        if self._writer is not None:
            with self._writer.as_default():
                tf.summary.image("samples", grid[np.newaxis], step=epoch)
            self._writer.flush()
        return path


class Checkpoint(keras.callbacks.Callback):
    """Saves both networks, both optimizers' state and the epoch at the end of every epoch.

    Uses `tf.train.CheckpointManager`, which writes each checkpoint before it updates the index
    file, so a crash mid-write leaves the previous checkpoint loadable.
    """

    def __init__(self, directory, max_to_keep=3):
        super().__init__()
        self.directory = directory
        self.max_to_keep = max_to_keep
        self.manager = None
        self.epoch = None

    def set_model(self, model):
        super().set_model(model)
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        # Keras 3 models are not tracked as checkpoint dependencies: list their weights (BatchNorm
        # statistics and image pools included) explicitly, in the model's stable order.
        checkpoint = tf.train.Checkpoint(
            weights=list(model.weights), epoch=self.epoch, **model.optimizers()
        )
        self.manager = tf.train.CheckpointManager(checkpoint, self.directory, self.max_to_keep)

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.assign(epoch + 1)
        self.manager.save(checkpoint_number=epoch + 1)
