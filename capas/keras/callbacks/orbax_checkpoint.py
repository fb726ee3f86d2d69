"""`OrbaxCheckpoint`: Keras 3's checkpointing through Orbax, which capas does not provide."""

from capas.keras.callbacks.callback import Callback

_MESSAGE = (
    "keras.callbacks.OrbaxCheckpoint saves through Orbax (orbax-checkpoint, a JAX library), which capas "
    "does not use. Use keras.callbacks.ModelCheckpoint('ckpt/model_{epoch}.keras') (or "
    "save_weights_only=True with '.weights.h5'), written atomically, or "
    "keras.callbacks.BackupAndRestore('backup_dir') to resume an interrupted fit."
)


class OrbaxCheckpoint(Callback):
    """Keras 3's Orbax checkpoint callback; in capas, constructing one raises NotImplementedError.

    The message names the capas alternatives, `ModelCheckpoint` and `BackupAndRestore`.

    Example:

    >>> from capas import keras
    >>> keras.callbacks.OrbaxCheckpoint("ckpt")
    Traceback (most recent call last):
    ...
    NotImplementedError: keras.callbacks.OrbaxCheckpoint saves through Orbax ...
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_MESSAGE)
