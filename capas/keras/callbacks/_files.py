"""Small file helpers of the callbacks: atomic writes and the chief (rank 0) check."""

import os
import tempfile


def is_chief():
    """False on the non-zero ranks of a torch.distributed run: only rank 0 writes files."""
    import torch.distributed as dist

    return not (dist.is_available() and dist.is_initialized() and dist.get_rank() != 0)


def atomic_write(path, write):
    """Call `write(file)` on a temporary file next to `path`, then rename it into place.

    The data is flushed and fsync'ed before `os.replace`, so a crash leaves
    either the old file or the new one, never a torn one.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-" + os.path.basename(path) + "-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
