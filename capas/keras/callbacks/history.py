"""`History`: records epoch logs; `fit` returns it."""

from capas.keras.callbacks.callback import Callback


class History(Callback):
    """Collects the `logs` of every epoch into `history`, a dict of lists.

    `fit` adds one automatically and returns it (it is also `model.history`).
    `epoch` lists the epoch indices seen (0-based).

    Example:

    >>> # history = model.fit(x, y, epochs=3, verbose=0)
    >>> # history.history["loss"]  -> [0.9, 0.7, 0.6]
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def set_model(self, model):
        super().set_model(model)
        if model is not None:
            model.history = self
