"""Callbacks of a training run: sample grids, TensorBoard images and checkpoints."""

import os
import time

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
        grid = make_grid(images, columns=columns, padding=1, fill=255)
        grid = upscale(grid, max(1, -(-self.min_pixels // grid.shape[1])))
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        write_png(path, grid)
        if self._writer is not None:
            with self._writer.as_default():
                tf.summary.image("samples", grid[np.newaxis], step=epoch)
            self._writer.flush()
        return path


class Checkpoint(keras.callbacks.Callback):
    """Saves the run's checkpoint at the end of epochs whose losses are finite.

    A save costs about five steps of the default CGAN (about 0.14 s), so short epochs are saved at
    most every `every_seconds`; the last epoch, and one after which training stops, always are.
    Uses `tf.train.CheckpointManager`, which writes the checkpoint files before it atomically
    rewrites the index, so a crash mid-write leaves the previous checkpoint loadable.

    Args:
        checkpoint: The `tf.train.Checkpoint` (see `keras_gans.training.resume.make_checkpoint`).
        directory: Folder of the checkpoints.
        max_to_keep: How many recent checkpoints to keep.
        every_seconds: Least time between two saves; 0 saves after every epoch.
        clock: Returns seconds (tests inject one).
    """

    def __init__(self, checkpoint, directory, max_to_keep=3, every_seconds=0.0, clock=None):
        super().__init__()
        self.checkpoint = checkpoint
        self.manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep)
        self.every_seconds = every_seconds
        self.clock = clock or time.monotonic
        self._last = None

    def on_train_begin(self, logs=None):
        self._last = self.clock()

    def on_epoch_end(self, epoch, logs=None):
        if not _all_finite(logs):
            return  # never replace the last good checkpoint with a diverged state
        now = self.clock()
        due = self._last is None or now - self._last >= self.every_seconds
        last = (self.params or {}).get("epochs") == epoch + 1
        if not (due or last or self.model.stop_training):
            return
        self.checkpoint.epoch.assign(epoch + 1)
        self.manager.save(checkpoint_number=epoch + 1)
        self._last = now


class NonFiniteGuard(keras.callbacks.Callback):
    """Stops training at the first non-finite logged loss and remembers where.

    Attributes:
        tripped: None, or `(step, loss_name, value)` of the first non-finite loss.
    """

    def __init__(self):
        super().__init__()
        self.tripped = None

    def on_train_batch_end(self, batch, logs=None):
        if self.tripped is not None:
            return
        for name, value in (logs or {}).items():
            if not np.isfinite(float(value)):
                step = int(self.model.optimizers()["g_optimizer"].iterations)
                self.tripped = (step, name, float(value))
                self.model.stop_training = True
                return


def _all_finite(logs):
    return all(np.isfinite(float(value)) for value in (logs or {}).values())
