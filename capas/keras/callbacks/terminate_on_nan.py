"""`TerminateOnNaN`: stop training at the first NaN or infinite batch loss."""

import math
import sys

from capas.keras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stop training when a NaN or infinite loss is seen.

    It reads the batch loss after every batch: one device sync per step,
    the documented cost of this callback.

    Args:
        raise_error: raise a `RuntimeError` instead of stopping quietly.

    Example:

    >>> import capas.keras as keras
    >>> # model.fit(x, y, callbacks=[keras.callbacks.TerminateOnNaN()])
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)
        if math.isnan(loss) or math.isinf(loss):
            # BackupAndRestore reads this to keep its last good backup.
            self.model._stopped_on_non_finite_loss = True
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. Terminating training "
                    "immediately. Lower the learning rate, check the inputs for NaN/inf, or clip gradients."
                )
            sys.stdout.write(f"Batch {batch}: Invalid loss, terminating training\n")
            self.model.stop_training = True
