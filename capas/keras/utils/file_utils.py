"""Writing files so that a crash never leaves a broken file where a good one was.

`atomic_write(path)` hands out a temporary file in the destination folder;
on a clean exit the data is flushed and fsynced, then `os.replace`d over
`path` (atomic on POSIX and Windows) and the folder entry is fsynced. On an
exception the temporary file is removed and `path` keeps its old content.
Model saving, weight saving, checkpoint callbacks and CSV loggers share it
(DESIGN.md, decision 9).
"""

import contextlib
import os
import tempfile


def _fsync_dir(folder):
    """Make the rename durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path, mode="wb", encoding=None, newline=None):
    """Write `path` through a temporary file renamed into place on success.

    Args:
        path: the destination file (str or path-like).
        mode: `'wb'` (default) or `'w'` for text; `'a'`/`'ab'` first copy the
            current content of `path` (if any) so appends are atomic too.
        encoding: the text encoding (text modes only).
        newline: as for `open()` (text modes only).

    Returns:
        A context manager yielding the open temporary file object.

    Raises:
        ValueError: for a read mode.

    Example:

    >>> import os, tempfile
    >>> from capas.keras.utils.file_utils import atomic_write
    >>> target = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> with atomic_write(target, "w") as f:
    ...     _ = f.write("epoch,loss\\n")
    >>> open(target).read()
    'epoch,loss\\n'
    """
    if "r" in mode or "+" in mode or "x" in mode:
        raise ValueError(f"atomic_write() writes whole files; mode must be 'w', 'wb', 'a' or 'ab', received {mode!r}.")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
    binary = "b" in mode
    append = "a" in mode
    try:
        if append and os.path.exists(path):
            with open(path, "rb") as src:
                os.write(fd, src.read())
        f = os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else encoding,
                      newline=None if binary else newline)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _final_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _final_mode(path):
    """The permissions `open(path, 'w')` would give: the old file's, else 0o666 less the umask.

    (mkstemp creates 0600 files; a model or log file should not change permissions because
    it was written atomically.)
    """
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def is_temporary_name(name, target):
    """Whether `name` is a temporary file `atomic_write(target)` may leave while running."""
    base = os.path.basename(os.fspath(target))
    return name.startswith(f".{base}.") and name.endswith(".tmp")
