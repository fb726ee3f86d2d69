"""Writing files so that a crash never leaves a broken file where a good one was.

`atomic_write(path)` hands out a temporary file in the destination folder;
on a clean exit the data is flushed and fsynced, then `os.replace`d over
`path` (atomic on POSIX and Windows) and the folder entry is fsynced. On an
exception the temporary file is removed and `path` keeps its old content.

A process killed while writing cannot remove its temporary file, so each
temporary name carries the writer's host and process id
(`.<name>.<host>.<pid>.<random>.tmp`), and the next write (or load) of the same
target removes the temporaries whose writer on this host is no longer alive.
Model saving, weight saving, checkpoint callbacks and CSV loggers share it
(DESIGN.md, decision 9).
"""

import contextlib
import os
import re
import socket
import tempfile
import time

# Temporary files of older capas versions carry no writer id: they are removed once this old.
_LEGACY_STALE_SECONDS = 3600


def fsync_folder(folder):
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
    >>> from capas._file_utils import atomic_write
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
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.{_host()}.{os.getpid()}.", suffix=".tmp", dir=folder)
    binary = "b" in mode
    append = "a" in mode
    try:
        if append and os.path.exists(path):
            with open(path, "rb") as src:
                os.write(fd, src.read())
        f = os.fdopen(
            fd, "wb" if binary else "w", encoding=None if binary else encoding, newline=None if binary else newline
        )
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
    fsync_folder(folder)


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


def _host():
    # Only [A-Za-z0-9-] so that the name splits back unambiguously.
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_stale_temporaries(target):
    """Remove the temporary files a killed `atomic_write(target)` left behind.

    A temporary is stale when its writer ran on this host and is no longer alive
    (or, for names written by older versions without a writer id, when it is over an
    hour old). Temporaries of live writers, and of other hosts sharing the folder,
    are left alone.

    Returns:
        The list of removed paths.

    Example:

    >>> import os, tempfile
    >>> from capas._file_utils import remove_stale_temporaries, _host
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "model.keras")
    >>> left = os.path.join(folder, f".model.keras.{_host()}.4194399.k3x.tmp")  # pid above pid_max
    >>> _ = open(left, "wb").write(b"half a model")
    >>> remove_stale_temporaries(target) == [left]
    True
    """
    target = os.fspath(target)
    folder = os.path.dirname(os.path.abspath(target))
    base = os.path.basename(target)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    host, removed = _host(), []
    for name in names:
        if not is_temporary_name(name, target):
            continue
        middle = name[len(base) + 2 : -len(".tmp")]
        parts = middle.split(".")
        path = os.path.join(folder, name)
        if len(parts) >= 3 and parts[-2].isdigit():
            if parts[0] != host or int(parts[-2]) == os.getpid() or _pid_alive(int(parts[-2])):
                continue
        else:
            try:
                if time.time() - os.stat(path).st_mtime < _LEGACY_STALE_SECONDS:
                    continue
            except OSError:
                continue
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed.append(path)
    return removed
