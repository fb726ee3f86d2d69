"""The capas checkpoint files: data only, never code, written atomically.

A checkpoint `prefix` is two files, as TensorFlow's:

- `prefix.data-00000-of-00001`: the raw bytes of every array, end to end;
- `prefix.index`: JSON naming each entry (its key, dtype, shape, byte offset,
  length and CRC-32), plus the object graph.

Both are written through `atomic_write` (data first, index last), so a crash
leaves either the whole new checkpoint or none; a reader checks lengths and
CRCs and raises `tf.errors.DataLossError` for a truncated or corrupted file.
"""

import json
import os
import zlib

import numpy as np

from capas import errors
from capas._file_utils import atomic_write

FORMAT = "capas-checkpoint"
VERSION = 1
DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def _atomic_write(path, mode="wb"):
    return atomic_write(path, mode)


def _as_array(value):
    """value -> (array, dtype tag, Python type to give back: 'int', 'str', 'bytes' or None)."""
    if isinstance(value, str):
        return np.frombuffer(value.encode("utf-8"), dtype=np.uint8), "string", "str"
    if isinstance(value, bytes):
        return np.frombuffer(value, dtype=np.uint8), "string", "bytes"
    if isinstance(value, int) and not isinstance(value, bool):
        return np.asarray(value, dtype=np.int64), np.dtype(np.int64).str, "int"
    arr = np.array(value, order="C", copy=True)
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise TypeError(f"checkpoint values are numbers, booleans or strings; received an array of {arr.dtype}.")
    return arr, arr.dtype.str, None


def write(prefix, arrays, object_graph):
    """Write `arrays` ({key: array | int | str | bytes}) and `object_graph` (JSON-able) at `prefix`."""
    folder = os.path.dirname(os.path.abspath(prefix))
    os.makedirs(folder, exist_ok=True)
    entries = {}
    offset = 0
    with _atomic_write(prefix + DATA_SUFFIX) as f:
        for key in sorted(arrays):
            arr, dtype, pytype = _as_array(arrays[key])
            data = arr.tobytes()
            f.write(data)
            entries[key] = {
                "dtype": dtype,
                "shape": [] if dtype == "string" else list(arr.shape),
                "offset": offset,
                "nbytes": len(data),
                "crc32": zlib.crc32(data),
            }
            if pytype:
                entries[key]["pytype"] = pytype
            offset += len(data)
    index = {
        "format": FORMAT,
        "version": VERSION,
        "entries": entries,
        "object_graph": object_graph,
    }
    with _atomic_write(prefix + INDEX_SUFFIX, "w") as f:
        json.dump(index, f, sort_keys=True)
    return prefix


class Reader:
    """Reads a checkpoint written by `write` (checks format, lengths and CRCs)."""

    def __init__(self, prefix):
        prefix = os.fspath(prefix)
        if os.path.isdir(prefix):
            # in-function: import cycle train.checkpoint_management -> this module
            from capas.train.checkpoint_management import latest_checkpoint

            latest = latest_checkpoint(prefix)
            if latest is None:
                raise errors.NotFoundError(None, None, f"No checkpoint found in directory '{prefix}'.")
            prefix = latest
        self.prefix = prefix
        index_path = prefix + INDEX_SUFFIX
        if not os.path.exists(index_path):
            raise errors.NotFoundError(
                None,
                None,
                f"Checkpoint '{prefix}' not found: there is no file '{index_path}'. Pass the prefix that "
                "Checkpoint.save() returned (e.g. 'ckpts/ckpt-1'), or tf.train.latest_checkpoint(directory).",
            )
        try:
            with open(index_path, encoding="utf-8") as f:
                index = json.load(f)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise errors.DataLossError(
                None,
                None,
                f"Checkpoint index '{index_path}' is corrupted or truncated ({exc}); it cannot be read.",
            ) from exc
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise errors.DataLossError(
                None,
                None,
                f"'{index_path}' is not a capas checkpoint index (format {index.get('format')!r})."
                if isinstance(index, dict)
                else f"'{index_path}' is not a capas checkpoint index.",
            )
        self.entries = index["entries"]
        self.object_graph = index.get("object_graph")
        self._data_path = prefix + DATA_SUFFIX

    def keys(self):
        return list(self.entries)

    def shape(self, key):
        return list(self.entries[key]["shape"])

    def read(self, key):
        """The array saved under `key` (bytes for strings)."""
        if key == OBJECT_GRAPH_KEY:
            return json.dumps(self.object_graph, sort_keys=True).encode("utf-8")
        try:
            entry = self.entries[key]
        except KeyError:
            raise errors.NotFoundError(
                None,
                None,
                f"Key '{key}' not found in checkpoint '{self.prefix}'. Saved keys: {sorted(self.entries)}.",
            ) from None
        try:
            with open(self._data_path, "rb") as f:
                f.seek(entry["offset"])
                data = f.read(entry["nbytes"])
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"Checkpoint data file '{self._data_path}' is missing.") from None
        if len(data) != entry["nbytes"]:
            raise errors.DataLossError(
                None,
                None,
                f"Checkpoint data file '{self._data_path}' is truncated: entry '{key}' needs {entry['nbytes']} bytes "
                f"at offset {entry['offset']}, found {len(data)}. Restore from an earlier checkpoint.",
            )
        if zlib.crc32(data) != entry["crc32"]:
            raise errors.DataLossError(
                None,
                None,
                f"Checkpoint data file '{self._data_path}' is corrupted: entry '{key}' fails its CRC-32 check. "
                "Restore from an earlier checkpoint.",
            )
        if entry["dtype"] == "string":
            return data
        return np.frombuffer(data, dtype=np.dtype(entry["dtype"])).reshape(entry["shape"]).copy()

    def read_py(self, key):
        """As `read`, but ints, str and bytes saved by a state protocol come back as those types."""
        value = self.read(key)
        pytype = self.entries[key].get("pytype")
        if pytype == "int":
            return int(value)
        if pytype == "str":
            return value.decode("utf-8")
        return value
