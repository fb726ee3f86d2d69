"""`History`: records epoch logs; `fit` returns it."""

from capas.keras.callbacks.callback import Callback


class History(Callback):
    """Collects `logs` of every epoch into `history` (a dict of lists)."""

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

    def set_model(self, model):
        super().set_model(model)
        model.__dict__["history"] = self
