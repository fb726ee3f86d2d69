"""`ReduceLROnPlateau`: lower the learning rate when a metric stops improving."""

import sys
import warnings

import numpy as np

from capas.keras.callbacks._monitor import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Reduce the learning rate when a metric has stopped improving.

    After `patience` epochs without improvement the rate is multiplied by
    `factor` (never below `min_lr`), then `cooldown` epochs pass before
    counting again. Each epoch's logs get a `learning_rate` entry.

    Args:
        monitor: the quantity to watch.
        factor: the factor the rate is multiplied by (`new_lr = lr * factor`), < 1.
        patience: the number of epochs without improvement before reducing.
        verbose: 1 prints a message on each reduction.
        mode: `'auto'`, `'min'` or `'max'`.
        min_delta: the threshold for a significant change.
        cooldown: the number of epochs to wait after a reduction.
        min_lr: the lower bound of the rate.

    Example:

    >>> import capas.keras as keras
    >>> reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
    >>> # model.fit(x, y, callbacks=[reduce_lr])
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0 (it would not reduce the rate). "
                f"Received factor={factor}."
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def _optimizers(self):
        optimizer = self.model.optimizer
        return list(optimizer.optimizers) if hasattr(optimizer, "optimizers") else [optimizer]

    def _reduce(self, optimizer, epoch, name=""):
        old_lr = float(optimizer.learning_rate)
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            label = f" {name}" if name else ""
            sys.stdout.write(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{label} learning rate to {new_lr}.\n")
        return True

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        optimizers = self._optimizers()
        if hasattr(self.model.optimizer, "optimizers"):
            for opt in optimizers:
                logs[f"learning_rate_{opt.name}"] = float(opt.learning_rate)
        else:
            logs["learning_rate"] = float(optimizers[0].learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs.keys())}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                named = len(optimizers) > 1 or hasattr(self.model.optimizer, "optimizers")
                reduced = [self._reduce(opt, epoch, opt.name if named else "") for opt in optimizers]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self):
        """Whether the callback is waiting out its cooldown."""
        return self.cooldown_counter > 0
