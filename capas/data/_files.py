"""Datasets read from files: `list_files`, `TextLineDataset`, `CsvDataset`.

Files are read lazily, line by line, so a file larger than memory streams.
Compressed files (`compression_type="GZIP"` or `"ZLIB"`) are decompressed on
the fly.
"""

import glob
import gzip
import io
import os
import random
import zlib

import capas.data.dataset as _ds
from capas._nest import flatten
from capas.data._structure import StringSpec, make_string, to_numpy


def filenames_of(filenames, where):
    """A list of paths from a path, a list of paths, or a string dataset/array of them."""
    if isinstance(filenames, _ds.Dataset):
        filenames = [to_numpy(f) for f in filenames]
    values = [filenames] if isinstance(filenames, (str, bytes, os.PathLike)) else flatten(list(_as_list(filenames)))
    out = []
    for v in values:
        v = to_numpy(v) if not isinstance(v, (str, bytes, os.PathLike)) else v
        out.append(os.fsdecode(v) if isinstance(v, bytes) else os.fspath(v))
    if not out:
        raise ValueError(f"{where}: `filenames` is empty; give at least one file.")
    return out


def _as_list(value):
    if hasattr(value, "tolist"):
        return value.tolist() if getattr(value, "ndim", 1) else [value.tolist()]
    return value


def open_file(path, compression_type):
    """Open `path` for binary reading, decompressing GZIP/ZLIB on the fly."""
    kind = (compression_type or "").upper()
    if kind == "":
        return open(path, "rb")
    if kind == "GZIP":
        return gzip.open(path, "rb")
    if kind == "ZLIB":
        return io.BufferedReader(_ZlibReader(path))
    raise ValueError(f"Unknown compression_type {compression_type!r}; use None, '', 'GZIP' or 'ZLIB'.")


class _ZlibReader(io.RawIOBase):
    def __init__(self, path):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._inflate = zlib.decompressobj()
        self._pending = b""

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending:
            chunk = self._file.read(65536)
            if not chunk:
                self._pending = self._inflate.flush()
                if not self._pending:
                    return 0
                break
            self._pending = self._inflate.decompress(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self):
        self._file.close()
        super().close()


def list_files(file_pattern, shuffle=None, seed=None, name=None):
    """A dataset of the file names matching `file_pattern` (a glob, or a list of globs).

    The names are sorted, then shuffled unless `shuffle=False` (TF's default
    shuffles).

    Raises:
        ValueError: nothing matches.

    Example:

    >>> import capas as tf, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> for n in "ab":
    ...     _ = open(os.path.join(folder, n + ".txt"), "w").write(n)
    >>> [os.path.basename(f) for f in tf.data.Dataset.list_files(folder + "/*.txt", shuffle=False).as_numpy_iterator()]
    [b'a.txt', b'b.txt']
    """
    patterns = filenames_of(file_pattern, "Dataset.list_files")
    names = sorted({p for pattern in patterns for p in glob.glob(pattern)})
    if not names:
        raise ValueError(
            f"Dataset.list_files: expected 'file_pattern' to match at least one file; {patterns} "
            "matched none. Check the path and the working directory."
        )
    rng = random.Random(seed)

    def make_iter():
        order = list(names)
        if shuffle is not False:
            rng.shuffle(order)
        for n in order:
            yield make_string(n)

    return _ds.Dataset(make_iter, len(names), StringSpec([]))


def read_lines(paths, compression_type, skip=0):
    for path in paths:
        with open_file(path, compression_type) as f:
            for i, line in enumerate(f):
                if i < skip:
                    continue
                if line.endswith(b"\n"):
                    line = line[:-1]
                    if line.endswith(b"\r"):
                        line = line[:-1]
                yield line
