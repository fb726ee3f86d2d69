"""`ModelCheckpoint`: save the model or its weights during `fit`."""

import os
import sys
import warnings

import numpy as np
import torch

from capas.distribute import sharding as _sharding
from capas.keras.callbacks._files import is_chief
from capas.keras.callbacks._monitor import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Save the model (`.keras`) or its weights (`.weights.h5`) during training.

    `filepath` may hold `str.format` fields filled from the epoch (1-based),
    the batch (1-based, with an integer `save_freq`) and the logs, e.g.
    `'ckpt-{epoch:02d}-{val_loss:.2f}.keras'`. Files are written through
    `model.save` / `model.save_weights`, which write atomically.

    Args:
        filepath: the path, ending in `.keras` (whole model) or, with
            `save_weights_only=True`, in `.weights.h5`.
        monitor: the metric `save_best_only` compares.
        verbose: 1 prints a message on each save.
        save_best_only: only save when `monitor` improved on the best value
            so far (with a fixed `filepath`, the file holds the best model).
        save_weights_only: save only the weights.
        mode: `'auto'`, `'min'` or `'max'`.
        save_freq: `'epoch'`, or an integer: save every that many batches.
        initial_value_threshold: the value `monitor` must beat for the first save.

    Example:

    >>> import capas.keras as keras
    >>> checkpoint = keras.callbacks.ModelCheckpoint(
    ...     "ckpt/best.keras", monitor="val_accuracy", mode="max", save_best_only=True)
    >>> # model.fit(x, y, validation_split=0.2, callbacks=[checkpoint])
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(
                f"ModelCheckpoint: unrecognized save_freq={save_freq!r}. Expected 'epoch' or a positive "
                "integer (save every that many batches)."
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "ModelCheckpoint: when using `save_weights_only=True`, the filepath must end in "
                    f"`.weights.h5` (Keras weights format). Received: filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "ModelCheckpoint: the filepath must end in `.keras` (Keras model format), or pass "
                f"save_weights_only=True with a `.weights.h5` path. Received: filepath={self.filepath}"
            )

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            seen = batch + 1  # a new epoch started
        else:
            seen = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                sys.stdout.write(f"\nEpoch {epoch + 1}: saving model to {filepath}\n")
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"ModelCheckpoint: can save best model only with {self.monitor} available; available keys: "
                f"{','.join(logs.keys())}. Saving anyway.",
                stacklevel=3,
            )
            return True
        if isinstance(current, (np.ndarray, torch.Tensor)) and current.ndim > 0:
            warnings.warn(
                f"ModelCheckpoint: can save best model only when `monitor` is a scalar value. Received: "
                f"{current}. Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                sys.stdout.write(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                    f"saving model to {filepath}\n"
                )
            self.best = current
            return True
        if self.verbose > 0:
            sys.stdout.write(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}\n")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = dict(logs or {})
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                "ModelCheckpoint: please specify a non-directory filepath. The filepath used is an "
                f"existing directory: {filepath}"
            )
        if not self._should_save_model(epoch, logs, filepath):
            return
        if not is_chief() and not _sharding.is_sharded(self.model):
            return  # under torch.distributed only rank 0 writes (every rank tracks `best`)
        # (FSDPStrategy: every rank joins the gather of the weights in save; rank 0 writes)
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            sys.stdout.write(f"\nEpoch {epoch + 1}: finished saving model to {filepath}\n")

    def _get_file_path(self, epoch, batch, logs):
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(
                f'ModelCheckpoint: failed to format the filepath "{self.filepath}": the field {e} is not '
                f"among the available ones {sorted(fields)}."
            ) from None
