"""`LambdaCallback`: a callback made of functions."""

from capas.keras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Build a callback from functions, called at the matching hooks.

    `on_epoch_begin`/`on_epoch_end` take `(epoch, logs)`,
    `on_train_batch_begin`/`on_train_batch_end` take `(batch, logs)`,
    `on_train_begin`/`on_train_end` take `(logs)`. Other hooks may be given
    as keyword arguments (e.g. `on_test_end=...`).

    Example:

    >>> import capas.keras as keras
    >>> losses = []
    >>> callback = keras.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        for key, value in kwargs.items():
            setattr(self, key, value)
        given = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, fn in given.items():
            if fn is not None:
                setattr(self, name, fn)
