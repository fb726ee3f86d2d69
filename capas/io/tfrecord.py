"""TFRecord files (`tf.io.TFRecordWriter`, `read_records`) and `tf.io.parse_single_example`.

A TFRecord file is a sequence of records, each: its length (uint64, little
endian), the masked CRC-32C of the length, the bytes, the masked CRC-32C of the
bytes; TensorFlow reads and writes the same files. `read_records(paths)` is
the reader `tf.data.TFRecordDataset` can use.
"""

import os
import struct

import numpy as np
import torch

from capas.errors import DataLossError, InvalidArgumentError
from capas.ops._convert import as_torch_dtype
from capas.ops.strings import StringTensor, as_string_tensor


def _crc32c_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked_crc(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _as_bytes(record):
    if isinstance(record, (StringTensor, str)):
        record = as_string_tensor(record).numpy()
    return bytes(record)


class TFRecordWriter:
    """Writes records to a TFRecord file (`write(bytes)`, `flush()`, `close()`, `with`).

    Example:

    >>> import os, tempfile
    >>> import capas as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.io.TFRecordWriter(path) as writer:
    ...     writer.write(b"hello")
    >>> list(tf.io.read_records(path))
    [b'hello']
    """

    def __init__(self, path, options=None):
        if options not in (None, "", "NONE"):
            raise NotImplementedError(f"TFRecordWriter: compression {options!r} is not supported in capas.")
        self._file = open(os.fspath(path), "wb")  # noqa: SIM115 - closed by close()/__exit__

    def write(self, record):
        data = _as_bytes(record)
        length = struct.pack("<Q", len(data))
        self._file.write(length + struct.pack("<I", _masked_crc(length)) + data + struct.pack("<I", _masked_crc(data)))

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def read_records(paths, check_crc=True):
    """Yield the records (bytes) of one or more TFRecord files, in order.

    Raises:
        tf.errors.DataLossError: a truncated record or a CRC mismatch.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    for path in paths:
        path = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
        with open(path, "rb") as f:
            while True:
                head = f.read(12)
                if not head:
                    break
                if len(head) < 12:
                    raise DataLossError(
                        None,
                        None,
                        f"TFRecord file '{path}' is truncated (a record header).",
                    )
                length = head[:8]
                if check_crc and struct.unpack("<I", head[8:])[0] != _masked_crc(length):
                    raise DataLossError(
                        None,
                        None,
                        f"TFRecord file '{path}': corrupted record length (CRC).",
                    )
                (size,) = struct.unpack("<Q", length)
                data = f.read(size)
                footer = f.read(4)
                if len(data) < size or len(footer) < 4:
                    raise DataLossError(
                        None,
                        None,
                        f"TFRecord file '{path}' is truncated (a record body).",
                    )
                if check_crc and struct.unpack("<I", footer)[0] != _masked_crc(data):
                    raise DataLossError(
                        None,
                        None,
                        f"TFRecord file '{path}': corrupted record data (CRC).",
                    )
                yield data


class FixedLenFeature:
    """A feature with a fixed shape: `FixedLenFeature(shape, dtype, default_value=None)`."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.default_value = default_value


class VarLenFeature:
    """A feature with any number of values (parsed to a 1-D SparseTensor)."""

    def __init__(self, dtype):
        self.dtype = dtype


def _is_string(dtype):
    return getattr(dtype, "name", dtype) == "string"


def _values(feature, dtype, key):
    kind = feature.WhichOneof("kind")
    if _is_string(dtype):
        want = "bytes_list"
    elif as_torch_dtype(dtype).is_floating_point:
        want = "float_list"
    else:
        want = "int64_list"
    if kind not in (want, None):
        raise InvalidArgumentError(
            None,
            "ParseExample",
            f"Feature '{key}' holds a {kind}; the spec asks for {dtype}.",
        )
    return list(getattr(feature, want).value)


def _to_tensor(values, dtype, shape):
    if _is_string(dtype):
        arr = np.empty(len(values), dtype=object)
        arr[:] = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in values]
        return StringTensor._wrap(arr.reshape(shape))
    return torch.tensor(values, dtype=as_torch_dtype(dtype)).reshape(shape)


def parse_single_example(serialized, features, name=None, example_names=None):
    """Parse one serialized `tf.train.Example` into a dict of tensors, following `features`.

    Args:
        serialized: the bytes (or a scalar string tensor).
        features: a dict from name to `FixedLenFeature` / `VarLenFeature`.
    """
    from capas.sparse.sparse_tensor import SparseTensor
    from capas.train.example import Example

    example = Example.FromString(_as_bytes(serialized))
    out = {}
    for key, spec in features.items():
        feature = example.features.feature.get(key)
        if isinstance(spec, VarLenFeature):
            values = _values(feature, spec.dtype, key) if feature is not None else []
            indices = [[i] for i in range(len(values))]
            dense = _to_tensor(values, spec.dtype, (len(values),))
            out[key] = SparseTensor(indices if indices else torch.zeros((0, 1)), dense, [len(values)])
            continue
        size = int(np.prod(spec.shape)) if spec.shape else 1
        if feature is None:
            if spec.default_value is None:
                raise InvalidArgumentError(
                    None,
                    "ParseExample",
                    f"Feature '{key}' is required but missing from the example, and has no default_value.",
                )
            default = spec.default_value
            values = list(np.broadcast_to(np.asarray(default, dtype=object), (size,)))
        else:
            values = _values(feature, spec.dtype, key)
        if len(values) != size:
            raise InvalidArgumentError(
                None,
                "ParseExample",
                f"Feature '{key}': expected {size} values for shape {list(spec.shape)}, found {len(values)}.",
            )
        out[key] = _to_tensor(values, spec.dtype, spec.shape)
    return out
