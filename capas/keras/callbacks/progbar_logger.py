"""`ProgbarLogger`: placeholder printing one line per epoch (the full bar is being written)."""

import sys

from capas.keras.callbacks.callback import Callback


class ProgbarLogger(Callback):
    def on_epoch_end(self, epoch, logs=None):
        if self.params.get("verbose", 1):
            items = " - ".join(f"{k}: {v:.4f}" for k, v in (logs or {}).items() if isinstance(v, float))
            sys.stdout.write(f"Epoch {epoch + 1}/{self.params.get('epochs')} - {items}\n")
