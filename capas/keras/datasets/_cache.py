"""The dataset cache: where files live, how they are checked, how they are written.

The cache is a folder (`~/.capas/datasets/` unless `CAPAS_DATASETS_DIR` names
another). Every file enters it by being written to a temporary name in the
same folder, flushed, fsynced and renamed with `os.replace`, so a crash never
leaves a half-written file under a real name.
"""

import contextlib
import errno
import gzip
import hashlib
import os
import tempfile

import numpy as np

from capas import _file_utils as file_utils

CACHE_ENV = "CAPAS_DATASETS_DIR"

_CHUNK = 1 << 20


def cache_dir():
    """The cache folder: `$CAPAS_DATASETS_DIR`, else `~/.capas/datasets`."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return os.path.abspath(os.path.expanduser(env))
    return os.path.join(os.path.expanduser("~"), ".capas", "datasets")


def resolve(fname):
    """A cache file name (`"mnist.npz"`, `"fashion-mnist/x.gz"`) or an absolute path."""
    fname = os.path.expanduser(os.fspath(fname))
    if os.path.isabs(fname):
        return fname
    return os.path.join(cache_dir(), fname)


def file_digest(path, algorithm="sha256"):
    """Hex digest of a file's bytes, read in chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def array_digest(array):
    """sha256 of an array's raw C-order bytes (the importer's content check)."""
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def hash_algorithm(known_hash):
    """`"md5"` for a 32-digit hash, `"sha256"` for a 64-digit one (as Keras's get_file)."""
    return "md5" if len(known_hash) == 32 else "sha256"


def matches(path, source):
    """True if the file at `path` is a good copy of `source` (see `_sources.Source`).

    A file passes if its own hash is the canonical file's, or, for files the
    importer rebuilt from another copy, if its content hashes match: the
    arrays of an `.npz` (`array_sha256`) or the gunzipped bytes of a `.gz`
    (`content_sha256`).
    """
    if not os.path.isfile(path):
        return False
    if source.file_hash and file_digest(path, hash_algorithm(source.file_hash)) == source.file_hash:
        return True
    try:
        if source.content_sha256:
            h = hashlib.sha256()
            with gzip.open(path, "rb") as f:
                for chunk in iter(lambda: f.read(_CHUNK), b""):
                    h.update(chunk)
            return h.hexdigest() == source.content_sha256
        if source.array_sha256:
            with np.load(path, allow_pickle=False) as f:
                return all(
                    key in f.files and array_digest(f[key]) == digest for key, digest in source.array_sha256.items()
                )
    except (OSError, ValueError, EOFError, KeyError):
        return False  # unreadable (truncated zip or gzip): not a good copy
    return False


def is_permission_error(exc):
    """True for the OSErrors a read-only or foreign-owned folder raises."""
    return isinstance(exc, PermissionError) or getattr(exc, "errno", None) in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
    )


def not_writable_error(folder, fname, exc):
    """The PermissionError raised when the cache folder cannot take a new file."""
    return PermissionError(
        f"The dataset cache folder {folder} is not writable ({exc}), so '{fname}' "
        f"cannot be stored there. Fix: set the environment variable {CACHE_ENV} to a "
        "writable folder, pass `path=` an absolute path in a writable folder, or make "
        f"{folder} writable. (capas does not fall back to a temporary folder: a cache "
        "that silently moves would download the data again on every run.)"
    )


def ensure_folder(folder, fname):
    """Create `folder` if needed and check a file can be created in it."""
    try:
        os.makedirs(folder, exist_ok=True)
        _probe_writable(folder)
    except OSError as exc:
        if is_permission_error(exc):
            raise not_writable_error(folder, fname, exc) from exc
        raise


def _probe_writable(folder):
    fd, probe = tempfile.mkstemp(dir=folder, prefix=".capas-probe-")
    os.close(fd)
    os.remove(probe)


@contextlib.contextmanager
def atomic_write(path):
    """Yield a binary file that replaces `path` only if the block succeeds.

    The project's one atomic write (`capas._file_utils.atomic_write`),
    after checking the cache folder is usable (with an error saying how to fix it).

    Example:

    >>> with atomic_write("/tmp/x.bin") as f:  # doctest: +SKIP
    ...     f.write(b"data")
    """
    folder = os.path.dirname(os.path.abspath(path))
    ensure_folder(folder, os.path.basename(path))
    with file_utils.atomic_write(path, "wb") as f:
        yield f


@contextlib.contextmanager
def folder_lock(folder):
    """Hold an exclusive lock on the cache folder itself (POSIX); a no-op elsewhere.

    Several processes (the ranks of a `torchrun` job) may ask for the same
    dataset at once; the lock makes one download it while the others wait.
    Locking the folder, not a `.lock` file beside the data, leaves no stray
    files behind.
    """
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):  # Windows or an unopenable folder: no lock.
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
