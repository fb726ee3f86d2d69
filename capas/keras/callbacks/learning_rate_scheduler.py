"""`LearningRateScheduler`: set the optimizer's learning rate at the start of each epoch."""

import sys

import numpy as np

from capas.keras.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    """Set the learning rate from `schedule(epoch, lr)` at the start of every epoch.

    Args:
        schedule: a function `(epoch, lr) -> new_lr` (or `epoch -> new_lr`),
            with a 0-based epoch, returning a float.
        verbose: 1 prints the new rate each epoch.

    Example:

    >>> import capas.keras as keras
    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = keras.callbacks.LearningRateScheduler(scheduler)
    >>> # model.fit(x, y, epochs=15, callbacks=[callback])
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _optimizers(self):
        optimizer = self.model.optimizer
        return list(optimizer.optimizers) if hasattr(optimizer, "optimizers") else [optimizer]

    def _update(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError(
                f"LearningRateScheduler: the optimizer {type(optimizer).__name__} has no `learning_rate` "
                "attribute to set."
            )
        try:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # a schedule taking only the epoch
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                "LearningRateScheduler: the output of the `schedule` function should be a float. "
                f"Got: {learning_rate!r} of type {type(learning_rate).__name__}."
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        optimizers = self._optimizers()
        multi = hasattr(self.model.optimizer, "optimizers")
        for opt in optimizers:
            learning_rate = self._update(opt, epoch)
            if self.verbose > 0:
                label = f" {opt.name}" if multi else ""
                sys.stdout.write(
                    f"\nEpoch {epoch + 1}: LearningRateScheduler setting{label} learning rate to {learning_rate}.\n"
                )

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        if hasattr(self.model.optimizer, "optimizers"):
            for opt in self._optimizers():
                logs[f"learning_rate_{opt.name}"] = float(opt.learning_rate)
        else:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
