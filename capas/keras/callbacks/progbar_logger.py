"""`ProgbarLogger`: the progress bar of `fit`, `evaluate` and `predict`."""

from capas.keras.callbacks.callback import Callback
from capas.keras import _io_utils as io_utils
from capas.keras.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints `Epoch 1/5` and a progress bar with the metrics to stdout.

    `fit`, `evaluate` and `predict` add one when `verbose != 0`. With
    `verbose=1` the bar is redrawn in place on a terminal or in Jupyter, at
    most every `refresh_interval` seconds, and only then are the batch logs
    read (each read is a device sync); when stdout is not a terminal only
    the final line of each epoch is printed. `verbose=2` prints one line per
    epoch. Validation inside `fit` is silent; its `val_*` metrics appear on
    the epoch's line.

    Example:

    >>> # model.fit(x, y, epochs=5)          # adds a ProgbarLogger
    >>> # Epoch 1/5
    >>> # 938/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step - loss: 0.3100 - val_loss: 0.2900
    """

    refresh_interval = 0.2

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()
        if self.verbose and self.epochs > 1:
            self._print(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._reset()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)  # predictions are not metrics

    def on_predict_end(self, logs=None):
        self._finalize(None)

    # -- helpers ----------------------------------------------------------------------------
    def _print(self, text):
        io_utils.print_msg(text, line_break=False)

    def _reset(self):
        self.seen = 0
        self.progbar = None

    def _bar(self):
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                interval=self.refresh_interval,
                stateless_metrics=set(),
                unit_name="step",
            )
        return self.progbar

    def _update(self, batch, logs):
        bar = self._bar()
        self.seen = batch + 1
        if self.verbose != 1:
            return
        # Reading `logs` syncs the device: only do it when the bar is redrawn. The first
        # step always reaches the bar, which times it apart from the others.
        if bar._due():
            bar.update(self.seen, list(logs.items()) if logs else None, finalize=False)
        elif self.seen == 1:
            bar.update(self.seen, None, finalize=False)

    def _finalize(self, logs):
        bar = self._bar()
        if self.target is None:
            self.target = self.seen
            bar.target = self.seen
        bar.update(self.target, list((logs or {}).items()), finalize=True)
