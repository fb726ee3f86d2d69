"""`CSVLogger`: one CSV row per epoch."""

import collections.abc
import csv
import os

import numpy as np

from capas.keras.callbacks._files import is_chief
from capas.keras.callbacks.callback import Callback


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Write the epoch logs to a CSV file: `epoch` then the sorted log keys.

    The file is flushed after every epoch. Without validation, `val_*`
    columns are still written (as `NA`), as Keras does, so that files of
    runs with and without validation line up.

    Args:
        filename: the CSV file's path.
        separator: the column separator.
        append: append to an existing file (the header is written only if
            the file is empty) instead of overwriting it.

    Example:

    >>> import capas.keras as keras
    >>> csv_logger = keras.callbacks.CSVLogger("training.log")
    >>> # model.fit(x, y, callbacks=[csv_logger])
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        self.writer = None
        self.keys = None
        if not is_chief():  # under torch.distributed only rank 0 writes
            self.csv_file = None
            return
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, encoding="utf-8") as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")  # noqa: SIM115 - closed at train end
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        if self.csv_file is None and not is_chief():
            return
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys.extend([f"val_{k}" for k in self.keys])
        if self.writer is None:
            sep = self.sep

            class _Dialect(csv.excel):
                delimiter = sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=_Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
