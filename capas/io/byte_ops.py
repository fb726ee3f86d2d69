"""Bytes ops of `tf.io`: `decode_raw`, `decode_base64`/`encode_base64`, `decode_compressed`, `matching_files`."""

import base64
import glob
import gzip
import zlib

import numpy as np
import torch

from capas import errors
from capas.ops import strings as _strings
from capas.ops._convert import as_torch_dtype


def _string_array(value, op):
    if not isinstance(value, _strings.StringTensor):
        if not _strings.is_string_value(value):
            raise TypeError(f"tf.io.{op}: expected a string tensor; received {type(value).__name__}.")
        value = _strings.StringTensor(value)
    return np.asarray(value.numpy(), dtype=object)


def _strings_like(array, values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return _strings.StringTensor._wrap(out.reshape(array.shape))


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """Reinterpret each string's bytes as numbers of `out_type`: shape `input.shape + [n]`.

    All strings must have one length (or pass `fixed_length`: each is cut or zero-padded to it).

    Example:

    >>> import capas as tf
    >>> tf.io.decode_raw(tf.constant([b"\\x01\\x00\\x02\\x00"]), tf.int16).numpy().tolist()
    [[1, 2]]
    """
    array = _string_array(input_bytes, "decode_raw")
    dtype = as_torch_dtype(out_type)
    np_dtype = np.dtype(str(dtype).replace("torch.", "")).newbyteorder("<" if little_endian else ">")
    items = array.reshape(-1).tolist()
    if fixed_length is not None:
        items = [item[:fixed_length].ljust(fixed_length, b"\x00") for item in items]
    lengths = {len(item) for item in items}
    if len(lengths) > 1:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"tf.io.decode_raw: DecodeRaw requires input strings to all be the same size; received lengths "
            f"{sorted(lengths)}. Pass `fixed_length` to cut or pad them.",
        )
    length = lengths.pop() if lengths else 0
    if length % np_dtype.itemsize:
        raise errors.InvalidArgumentError(
            None, None, f"tf.io.decode_raw: input size {length} is not a multiple of {np_dtype.itemsize} ({dtype})."
        )
    count = length // np_dtype.itemsize
    values = np.frombuffer(b"".join(items), dtype=np_dtype).astype(np_dtype.newbyteorder("="))
    return torch.from_numpy(values.reshape(array.shape + (count,)).copy())


def encode_base64(input, pad=False, name=None):
    """Web-safe base64 (`-` and `_`) of each string; no `=` padding unless `pad=True`."""
    array = _string_array(input, "encode_base64")
    values = []
    for item in array.reshape(-1).tolist():
        encoded = base64.urlsafe_b64encode(item)
        values.append(encoded if pad else encoded.rstrip(b"="))
    return _strings_like(array, values)


def decode_base64(input, name=None):
    """Decode web-safe base64 strings (padded or not)."""
    array = _string_array(input, "decode_base64")
    values = []
    for item in array.reshape(-1).tolist():
        try:
            values.append(base64.urlsafe_b64decode(item + b"=" * (-len(item) % 4)))
        except (ValueError, TypeError) as exc:
            raise errors.InvalidArgumentError(
                None, None, f"tf.io.decode_base64: invalid base64 data {item[:20]!r}: {exc}"
            ) from exc
    return _strings_like(array, values)


def decode_compressed(bytes, compression_type="", name=None):
    """Decompress each string: `compression_type` '' (as is), 'ZLIB' or 'GZIP'."""
    array = _string_array(bytes, "decode_compressed")
    kinds = {"": lambda b: b, "ZLIB": zlib.decompress, "GZIP": gzip.decompress}
    if compression_type not in kinds:
        raise ValueError(
            f"tf.io.decode_compressed: `compression_type` must be '', 'ZLIB' or 'GZIP'; received {compression_type!r}."
        )
    try:
        values = [kinds[compression_type](item) for item in array.reshape(-1).tolist()]
    except (OSError, zlib.error, EOFError) as exc:
        raise errors.DataLossError(
            None, None, f"tf.io.decode_compressed: cannot decompress ({compression_type}): {exc}"
        ) from exc
    return _strings_like(array, values)


def matching_files(pattern, name=None):
    """The sorted file names matching a glob pattern (or any of a list of patterns), as a 1-D string tensor."""
    if isinstance(pattern, _strings.StringTensor):
        patterns = np.asarray(pattern.numpy(), dtype=object).reshape(-1).tolist()
    elif isinstance(pattern, (list, tuple)):
        patterns = list(pattern)
    else:
        patterns = [pattern]
    names = set()
    for item in patterns:
        item = item.decode() if isinstance(item, bytes) else str(item)
        names.update(glob.glob(item))
    return (
        _strings.StringTensor(np.array(sorted(n.encode() for n in names), dtype=object))
        if names
        else _strings.StringTensor._wrap(np.empty((0,), dtype=object))
    )
