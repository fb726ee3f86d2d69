"""`EarlyStopping`: stop `fit` when a monitored quantity stops improving."""

import sys
import warnings

import numpy as np

from capas.keras.callbacks._monitor import MonitorCallback


def _copy_weights(model):
    # A copy, whatever get_weights returns (numpy views of CPU tensors share their memory).
    return [np.array(w, copy=True) for w in model.get_weights()]


class EarlyStopping(MonitorCallback):
    """Stop training when a monitored metric has stopped improving.

    After each epoch (from `start_from_epoch` on) the monitored value is
    compared with the best so far; an improvement is a change larger than
    `min_delta` in the right direction. Training stops once `patience`
    epochs passed without one (never after the first epoch). With a
    `baseline`, an improvement that does not beat the baseline does not
    reset the patience counter.

    Args:
        monitor: the quantity to watch, e.g. `'val_loss'` or `'val_accuracy'`.
        min_delta: the minimum change that counts as an improvement.
        patience: the number of epochs without improvement before stopping.
        verbose: 1 prints a message when stopping and when restoring.
        mode: `'auto'`, `'min'` or `'max'`.
        baseline: the value the monitored quantity must beat.
        restore_best_weights: at the end of training, restore the weights of
            the best epoch (when any epoch was monitored).
        start_from_epoch: the number of epochs to wait before monitoring.

    Attributes:
        stopped_epoch: the 0-based epoch at which training was stopped (0 when
            it was not).
        best_epoch: the 0-based epoch with the best value.

    Example:

    >>> import capas.keras as keras
    >>> callback = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    >>> # model.fit(x, y, epochs=100, callbacks=[callback])
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # The first monitored epoch is the best one until beaten.
            self.best_weights = _copy_weights(self.model)
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = _copy_weights(self.model)
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            sys.stdout.write(f"Epoch {self.stopped_epoch + 1}: early stopping\n")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                sys.stdout.write(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.\n")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value from `logs`, or None (with a warning naming the available keys)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs.keys())}",
                stacklevel=2,
            )
        return value
