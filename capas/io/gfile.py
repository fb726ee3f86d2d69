"""`tf.io.gfile`: TensorFlow's file helpers over the local file system (no cloud paths)."""

import glob as _glob
import os
import shutil

from capas.errors import NotFoundError


def _local(path):
    path = os.fspath(path)
    if "://" in path:
        raise NotImplementedError(
            f"tf.io.gfile: '{path}' is not a local path; capas reads local files only. Copy the file locally first."
        )
    return path


def exists(path):
    """True if `path` exists."""
    return os.path.exists(_local(path))


def isdir(path):
    return os.path.isdir(_local(path))


def listdir(path):
    if not os.path.isdir(_local(path)):
        raise NotFoundError(None, None, f"tf.io.gfile.listdir: directory '{path}' does not exist.")
    return sorted(os.listdir(path))


def makedirs(path):
    """Create `path` and its parents (no error if it exists)."""
    os.makedirs(_local(path), exist_ok=True)


def mkdir(path):
    os.mkdir(_local(path))


def glob(pattern):
    """The paths matching `pattern` (sorted)."""
    return sorted(_glob.glob(_local(pattern)))


def remove(path):
    try:
        os.remove(_local(path))
    except FileNotFoundError:
        raise NotFoundError(None, None, f"tf.io.gfile.remove: '{path}' does not exist.") from None


def rmtree(path):
    shutil.rmtree(_local(path))


def copy(src, dst, overwrite=False):
    if os.path.exists(_local(dst)) and not overwrite:
        raise FileExistsError(f"tf.io.gfile.copy: '{dst}' exists; pass overwrite=True to replace it.")
    shutil.copyfile(_local(src), dst)


def rename(src, dst, overwrite=False):
    if os.path.exists(_local(dst)) and not overwrite:
        raise FileExistsError(f"tf.io.gfile.rename: '{dst}' exists; pass overwrite=True to replace it.")
    os.replace(_local(src), dst)


def join(path, *paths):
    return os.path.join(path, *paths)


class GFile:
    """A file object (TensorFlow's `tf.io.gfile.GFile`): `read`, `write`, `readline`, iteration, `with`.

    Example:

    >>> import os, tempfile
    >>> import capas as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with tf.io.gfile.GFile(path, "w") as f:
    ...     _ = f.write("hi")
    >>> tf.io.gfile.GFile(path).read()
    'hi'
    """

    def __init__(self, name, mode="r"):
        self.name = _local(name)
        self.mode = mode
        try:
            self._file = open(self.name, mode, encoding=None if "b" in mode else "utf-8")  # noqa: SIM115
        except FileNotFoundError:
            raise NotFoundError(None, None, f"tf.io.gfile.GFile: '{name}' does not exist.") from None

    def __getattr__(self, attr):
        return getattr(self.__dict__["_file"], attr)

    def __iter__(self):
        return iter(self._file)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()
        return False

    def size(self):
        return os.path.getsize(self.name)


Open = GFile
