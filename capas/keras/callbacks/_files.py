"""Small file helpers of the callbacks: atomic writes and the chief (rank 0) check."""

import os

from capas.distribute import data_parallel
from capas import _file_utils as file_utils


def is_chief():
    """False on the non-zero ranks of a torch.distributed run: only rank 0 writes files."""
    return data_parallel.rank() == 0


def atomic_write(path, write):
    """Call `write(file)` on a temporary file next to `path` that replaces it on success.

    The one atomic write of the project (`capas._file_utils.atomic_write`:
    flushed, fsynced, `os.replace`d), with the folder created first.
    """
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with file_utils.atomic_write(path, "wb") as f:
        write(f)
