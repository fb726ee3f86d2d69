"""`tf.io` file and tensor (de)serialization basics."""

import json
import os
import struct

import numpy as np
import torch

from capas._file_utils import atomic_write
from capas.errors import DataLossError, InvalidArgumentError, NotFoundError
from capas.ops._convert import as_torch_dtype, convert_to_tensor, dtype_name
from capas.ops.strings import StringTensor, as_string_tensor

_MAGIC = b"CAPASTENSOR1"


def read_file(filename, name=None):
    """The bytes of a file, as a scalar `tf.string` tensor.

    Raises:
        tf.errors.NotFoundError: the file does not exist.
    """
    path = os.fsdecode(as_string_tensor(filename).numpy()) if not isinstance(filename, str) else filename
    try:
        with open(path, "rb") as f:
            return StringTensor._wrap(np.asarray(f.read(), dtype=object))
    except FileNotFoundError:
        raise NotFoundError(None, "ReadFile", f"tf.io.read_file: {path}; No such file or directory") from None


def write_file(filename, contents, name=None):
    """Write a scalar string (bytes) to a file, atomically."""
    path = filename if isinstance(filename, str) else os.fsdecode(as_string_tensor(filename).numpy())
    data = as_string_tensor(contents).numpy()
    with atomic_write(path, "wb") as f:
        f.write(data)


def serialize_tensor(tensor, name=None):
    """A tensor as a scalar `tf.string` of bytes (capas's own format: a JSON header and raw data).

    Differs from TF: the bytes are not a TensorProto; `parse_tensor` reads them back.

    Example:

    >>> import capas as tf
    >>> blob = tf.io.serialize_tensor(tf.constant([1.0, 2.0]))
    >>> tf.io.parse_tensor(blob, tf.float32).tolist()
    [1.0, 2.0]
    """
    value = convert_to_tensor(tensor)
    if isinstance(value, StringTensor):
        arr = value._array
        header = {
            "dtype": "string",
            "shape": list(arr.shape),
            "lengths": [len(b) for b in arr.reshape(-1)],
        }
        data = b"".join(arr.reshape(-1).tolist())
    else:
        arr = value.detach().cpu().numpy()
        header = {"dtype": dtype_name(value.dtype), "shape": list(arr.shape)}
        data = np.ascontiguousarray(arr).tobytes()
    head = json.dumps(header).encode("utf-8")
    blob = _MAGIC + struct.pack("<I", len(head)) + head + data
    return StringTensor._wrap(np.asarray(blob, dtype=object))


def parse_tensor(serialized, out_type, name=None):
    """The tensor `serialize_tensor` wrote; `out_type` must be its dtype."""
    blob = as_string_tensor(serialized).numpy()
    if not isinstance(blob, bytes) or not blob.startswith(_MAGIC):
        raise DataLossError(
            None,
            "ParseTensor",
            "tf.io.parse_tensor: the bytes were not written by serialize_tensor.",
        )
    (size,) = struct.unpack("<I", blob[len(_MAGIC) : len(_MAGIC) + 4])
    start = len(_MAGIC) + 4
    header = json.loads(blob[start : start + size].decode("utf-8"))
    data = blob[start + size :]
    expected = getattr(out_type, "name", None) if out_type is not None else None
    if header["dtype"] == "string":
        if expected not in (None, "string"):
            raise InvalidArgumentError(
                None,
                "ParseTensor",
                f"Type mismatch: serialized string, out_type {out_type}.",
            )
        items, pos = [], 0
        for n in header["lengths"]:
            items.append(data[pos : pos + n])
            pos += n
        return StringTensor(np.asarray(items + [None], dtype=object)[:-1].reshape(header["shape"]))
    if as_torch_dtype(out_type) != as_torch_dtype(header["dtype"]):
        raise InvalidArgumentError(
            None,
            "ParseTensor",
            f"Type mismatch between parsed tensor ({header['dtype']}) and dtype requested ({dtype_name(out_type)}).",
        )
    arr = np.frombuffer(data, dtype=np.dtype(header["dtype"])).reshape(header["shape"]).copy()
    return torch.from_numpy(arr)
