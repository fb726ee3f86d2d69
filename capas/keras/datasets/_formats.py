"""Readers for the file formats the datasets come in: idx, CSV, pickled arrays.

Files are data, never code: pickles (CIFAR batches, the ragged IMDB and
Reuters arrays) are read by an unpickler that only rebuilds numpy arrays.
"""

import io
import pickle
import zipfile

import numpy as np

# idx magic numbers: 0x0000 0x08 (uint8) 0x01/0x03 (number of dimensions).
_IDX_UINT8 = 0x08


def parse_idx(data, what="idx data"):
    """A uint8 array from the bytes of an idx file (MNIST's format).

    Args:
        data: the (gunzipped) file contents.
        what: the file's name, for error messages.
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != _IDX_UINT8:
        raise ValueError(
            f"{what} is not an idx file of unsigned bytes: it starts with {bytes(data[:4])!r}, "
            "expected b'\\x00\\x00\\x08' and the number of dimensions."
        )
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape))
    if len(data) != expected:
        raise ValueError(
            f"{what} has {len(data)} bytes, but its header announces shape {shape} "
            f"({expected} bytes). The file is truncated or damaged."
        )
    # A copy, so the arrays are writable (torch.from_numpy warns on read-only ones).
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape).copy()


def idx_bytes(array):
    """The bytes of an idx file holding a uint8 array (inverse of `parse_idx`)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, _IDX_UINT8, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    return header + array.tobytes()


def parse_label_pixel_csv(data, what="CSV data", side=28):
    """`(images, labels)` from CSV rows `label,pixel_1,...,pixel_{side*side}`.

    A first line that is not numeric (a header such as `label,1x1,...`) is
    skipped. Parsing is one `np.fromstring` call over the whole text (about a
    second for MNIST's 60,000 rows), not a per-row loop.
    """
    data = data.replace(b"\r", b"").strip()
    first_end = data.find(b"\n")
    first = data if first_end < 0 else data[:first_end]
    if first and not first.replace(b",", b"").replace(b" ", b"").isdigit():
        data = b"" if first_end < 0 else data[first_end + 1 :]
    columns = side * side + 1
    if not data:
        return np.zeros((0, side, side), np.uint8), np.zeros((0,), np.uint8)
    n_rows = data.count(b"\n") + 1
    values = np.fromstring(data.replace(b"\n", b","), dtype=np.int64, sep=",")
    if values.size != n_rows * columns:
        raise ValueError(
            f"{what}: expected {n_rows} rows of {columns} comma-separated integers "
            f"(label, then {side}x{side} pixels), got {values.size} values in all. "
            "The file is truncated, has another layout, or holds non-numeric fields."
        )
    if values.min() < 0 or values.max() > 255:
        raise ValueError(f"{what}: values must lie in [0, 255]; found {values.min()} to {values.max()}.")
    table = values.astype(np.uint8).reshape(n_rows, columns)
    return np.ascontiguousarray(table[:, 1:]).reshape(n_rows, side, side), table[:, 0].copy()


# The globals needed to rebuild numpy arrays (both numpy 1 and 2 spellings).
_ARRAY_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
    }
)


class _ArrayUnpickler(pickle.Unpickler):
    """Rebuilds numpy arrays, lists, dicts and scalars; refuses every other global."""

    def find_class(self, module, name):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: only numpy arrays "
            "are expected. The file is damaged or was crafted to run code; delete it "
            "and fetch it again."
        )


def load_pickle(fileobj, encoding="bytes"):
    """Unpickle a dataset file that may only hold arrays and plain containers."""
    return _ArrayUnpickler(fileobj, encoding=encoding).load()


def load_npz(path):
    """A dict of the arrays in an `.npz`, allowing object (ragged) arrays safely.

    Numeric members are read with pickling disabled; object members (IMDB's
    and Reuters's lists of word indexes) go through the restricted unpickler.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            buffer = io.BytesIO(archive.read(member))
            arrays[member[: -len(".npy")]] = _read_npy(buffer)
    return arrays


def _read_npy(buffer):
    version = np.lib.format.read_magic(buffer)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(buffer)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(buffer)
    if not dtype.hasobject:
        buffer.seek(0)
        return np.lib.format.read_array(buffer, allow_pickle=False)
    return load_pickle(buffer, encoding="latin1")
