"""`SwapEMAWeights`: evaluate and predict with the optimizer's moving averages of the weights."""

import torch

from capas.keras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights with the optimizer's EMA weights around evaluation.

    Needs an optimizer built with `use_ema=True`. During `evaluate` and
    `predict` (and validation in `fit`) the model holds the moving
    averages; the training weights come back afterwards. With
    `swap_on_epoch=True` the EMA weights are also swapped in at the end of
    each epoch (so that other callbacks, e.g. `ModelCheckpoint`, see them)
    and swapped back at the start of the next; after the last epoch the
    averages stay in the model.

    Differs from Keras: `on_predict_end` swaps the training weights back
    (Keras 3.15 leaves the EMA weights in place after `predict`).

    Args:
        swap_on_epoch: also swap at epoch boundaries.

    Example:

    >>> import capas.keras as keras
    >>> # model.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss="mse")
    >>> # model.fit(x, y, callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True)])
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        candidates = list(optimizer.optimizers) if hasattr(optimizer, "optimizers") else [optimizer]
        found = [opt for opt in candidates if getattr(opt, "use_ema", False)]
        if not found:
            raise ValueError(
                "SwapEMAWeights must be used with an optimizer that keeps moving averages: create it with "
                f"`use_ema=True` (e.g. keras.optimizers.Adam(use_ema=True)). Received the optimizer "
                f"{type(optimizer).__name__} with use_ema={getattr(optimizer, 'use_ema', None)}."
            )
        for opt in found:
            if getattr(opt, "_model_variables_moving_average", None) is None:
                raise ValueError(
                    f"SwapEMAWeights: the optimizer {type(opt).__name__} has use_ema=True but holds no moving "
                    "averages yet: it is built at the first training step. Call fit() (or "
                    "optimizer.build(model.trainable_variables)) before evaluating with SwapEMAWeights."
                )
        return found

    def _swap_variables(self):
        with torch.no_grad():
            for opt in self._ema_optimizers():
                variables = list(opt._trainable_variables)
                averages = list(opt._model_variables_moving_average)
                saved = [v.detach().clone() for v in variables]
                torch._foreach_copy_(variables, averages)
                torch._foreach_copy_(averages, saved)

    def _finalize_ema_values(self):
        with torch.no_grad():
            for opt in self._ema_optimizers():
                torch._foreach_copy_(list(opt._model_variables_moving_average), list(opt._trainable_variables))

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        candidates = list(optimizer.optimizers) if hasattr(optimizer, "optimizers") else [optimizer]
        if not any(getattr(opt, "use_ema", False) for opt in candidates):
            self._ema_optimizers()  # raises the explanatory error before any training

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False
