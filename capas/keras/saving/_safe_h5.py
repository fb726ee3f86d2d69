"""Opening HDF5 weights as data: validate the whole tree before reading a value.

HDF5 can reach outside its file (external links, external raw storage,
virtual datasets, filter plugins loaded from disk) and can declare datasets
far larger than the bytes it holds. `open_h5` opens the bytes or the
caller's file object (h5py never gets a path, so it opens nothing itself)
and `validate` walks every link first and refuses:

- external and soft links, external storage, virtual datasets;
- filters other than gzip, shuffle and fletcher32 (others would load a plugin);
- non-numeric dtypes, more than `MAX_OBJECTS` objects or `MAX_DEPTH` levels;
- a dataset whose declared size is not backed by stored bytes (a shape
  bomb) or decompresses beyond `MAX_COMPRESSION_RATIO`.
"""

import h5py
import numpy as np

from capas.keras.saving._errors import InvalidModelFileError

MAX_OBJECTS = 200_000
MAX_DEPTH = 64
MAX_NDIM = 32
MAX_COMPRESSION_RATIO = 100
_ALLOWED_FILTERS = {h5py.h5z.FILTER_DEFLATE, h5py.h5z.FILTER_SHUFFLE, h5py.h5z.FILTER_FLETCHER32}


def open_h5(fileobj, filepath):
    """An `h5py.File` reading `fileobj` (bytes-like file object), or InvalidModelFileError."""
    try:
        return h5py.File(fileobj, "r", locking=False)
    except Exception as exc:  # noqa: BLE001 - h5py raises OSError, ValueError, KeyError...
        raise InvalidModelFileError(filepath, f"not a readable HDF5 file ({type(exc).__name__}: {exc}).") from None


def validate(h5file, filepath, file_size):
    """Check every object of `h5file` (see the module doc); raise InvalidModelFileError."""
    budget = {"objects": 0, "bytes": 0}
    _check_group(h5file, "/", 0, h5file, filepath, file_size, budget)


def _fail(filepath, where, what):
    raise InvalidModelFileError(filepath, f"HDF5 object '{where}' {what}")


def _check_group(group, where, depth, h5file, filepath, file_size, budget):
    if depth > MAX_DEPTH:
        _fail(filepath, where, f"is nested deeper than {MAX_DEPTH} levels.")
    try:
        names = list(group.keys())
    except Exception as exc:  # noqa: BLE001
        _fail(filepath, where, f"cannot be listed ({type(exc).__name__}: {exc}); the file is corrupted.")
    for name in names:
        budget["objects"] += 1
        if budget["objects"] > MAX_OBJECTS:
            _fail(filepath, where, f"holds more than {MAX_OBJECTS} objects.")
        path = f"{where.rstrip('/')}/{name}"
        try:
            link = group.get(name, getlink=True)
        except Exception as exc:  # noqa: BLE001
            _fail(filepath, path, f"has an unreadable link ({type(exc).__name__}: {exc}).")
        if isinstance(link, h5py.ExternalLink):
            _fail(
                filepath,
                path,
                f"is an external link to '{link.filename}:{link.path}'; weights files must not refer to other files.",
            )
        if not isinstance(link, h5py.HardLink):
            _fail(filepath, path, f"is a {type(link).__name__}; only plain groups and datasets are allowed.")
        try:
            obj = group[name]
        except Exception as exc:  # noqa: BLE001
            _fail(filepath, path, f"cannot be opened ({type(exc).__name__}: {exc}).")
        if isinstance(obj, h5py.Group):
            _check_group(obj, path, depth + 1, h5file, filepath, file_size, budget)
        elif isinstance(obj, h5py.Dataset):
            _check_dataset(obj, path, filepath, file_size, budget)
        else:
            _fail(filepath, path, f"is a {type(obj).__name__}; only groups and datasets are allowed.")


def _check_dataset(ds, path, filepath, file_size, budget):
    try:
        if ds.is_virtual:
            _fail(filepath, path, "is a virtual dataset (it reads other files).")
        if ds.external:
            _fail(filepath, path, f"keeps its data in external files {[e[0] for e in ds.external]}.")
        dtype = ds.dtype
        shape = ds.shape
        plist = ds.id.get_create_plist()
        filters = [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]
        storage = ds.id.get_storage_size()
    except InvalidModelFileError:
        raise
    except Exception as exc:  # noqa: BLE001
        _fail(filepath, path, f"has an unreadable header ({type(exc).__name__}: {exc}).")
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        _fail(filepath, path, f"has dtype {dtype}; weights must be numeric.")
    if shape is None or len(shape) > MAX_NDIM:
        _fail(filepath, path, f"has shape {shape}; weights have at most {MAX_NDIM} dimensions.")
    unknown = [f for f in filters if f not in _ALLOWED_FILTERS]
    if unknown:
        _fail(filepath, path, f"uses HDF5 filters {unknown}; only gzip, shuffle and fletcher32 are allowed.")
    nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if nbytes and storage == 0:
        _fail(filepath, path, f"declares shape {shape} ({nbytes} bytes) but stores no data (a shape bomb).")
    compressed = h5py.h5z.FILTER_DEFLATE in filters
    if not compressed and storage < nbytes:
        _fail(filepath, path, f"declares {nbytes} bytes but stores only {storage}; the file is truncated or forged.")
    if compressed and nbytes > MAX_COMPRESSION_RATIO * max(storage, 1):
        _fail(
            filepath,
            path,
            f"declares {nbytes} bytes from {storage} compressed bytes, a ratio over "
            f"{MAX_COMPRESSION_RATIO} (a decompression bomb).",
        )
    if storage > file_size:
        _fail(filepath, path, f"claims {storage} stored bytes in a file of {file_size} bytes.")
    budget["bytes"] += nbytes
    if budget["bytes"] > MAX_COMPRESSION_RATIO * max(file_size, 1):
        _fail(
            filepath,
            path,
            f"brings the declared data to {budget['bytes']} bytes, over {MAX_COMPRESSION_RATIO} "
            f"times the file size ({file_size} bytes).",
        )


def read_dataset(ds, path, filepath, expected_shape=None):
    """The values of a validated dataset as a numpy array (shape checked before reading)."""
    if expected_shape is not None and tuple(ds.shape) != tuple(expected_shape):
        raise InvalidModelFileError(
            filepath,
            f"weight '{path}' has shape {tuple(ds.shape)} in the file, but the model expects {tuple(expected_shape)}.",
        )
    try:
        return np.asarray(ds[()])
    except Exception as exc:  # noqa: BLE001
        raise InvalidModelFileError(
            filepath, f"weight '{path}' cannot be read ({type(exc).__name__}: {exc})."
        ) from None
