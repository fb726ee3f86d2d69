"""`tf.strings`: element-wise string ops over `tf.string` tensors (capas/ops/strings.py).

Each op takes string tensors, str/bytes or (nested) lists of them and works
on the bytes, as TensorFlow does. Ops that make rows of different lengths
(split, unicode_split, bytes_split) return a `tf.RaggedTensor` for a batch and
a 1-D tensor for a scalar. Patterns use Python's `re` where TF uses RE2: the
common syntax is the same; RE2-only constructs differ (docs/strings.md).
"""

import re

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops.strings import StringTensor, as_string_tensor
from capas.ragged.ragged_tensor import RaggedTensor


def _arr(input):
    return as_string_tensor(input)._array


def _map(input, fn, otype=object):
    """Apply `fn` (bytes -> value) to each element; object results give a StringTensor."""
    arr = _arr(input)
    out = np.empty(arr.shape, dtype=otype)
    flat_out = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1)):
        flat_out[i] = fn(v)
    return StringTensor._wrap(out) if otype is object else torch.from_numpy(out)


def _rows(input, fn, values_fn=StringTensor):
    """`fn` (bytes -> list) per element: a 1-D result for a scalar, else a RaggedTensor over the rows."""
    arr = _arr(input)
    if arr.ndim == 0:
        return values_fn(np.asarray(fn(arr[()]) + [None], dtype=object)[:-1])
    if arr.ndim != 1:
        raise ValueError(f"tf.strings: expected a scalar or a 1-D string tensor; received shape {arr.shape}.")
    rows = [fn(v) for v in arr]
    return RaggedTensor.from_rows(rows, lambda flat: values_fn(np.asarray(list(flat) + [None], dtype=object)[:-1]))


def lower(input, encoding="", name=None):
    """Lower-case each string (ASCII letters; all letters with `encoding='utf-8'`)."""
    if encoding:
        return _map(input, lambda b: b.decode("utf-8").lower().encode("utf-8"))
    return _map(input, bytes.lower)


def upper(input, encoding="", name=None):
    """Upper-case each string (ASCII letters; all letters with `encoding='utf-8'`)."""
    if encoding:
        return _map(input, lambda b: b.decode("utf-8").upper().encode("utf-8"))
    return _map(input, bytes.upper)


def strip(input, name=None):
    """Remove leading and trailing whitespace."""
    return _map(input, bytes.strip)


def length(input, name=None, unit="BYTE"):
    """The length of each string, in bytes (`unit='BYTE'`) or characters (`'UTF8_CHAR'`), as int32.

    Example:

    >>> import capas as tf
    >>> tf.strings.length(["héllo"], unit="UTF8_CHAR").tolist()
    [5]
    """
    if unit == "BYTE":
        return _map(input, len, np.int32)
    if unit == "UTF8_CHAR":
        return _map(input, lambda b: len(b.decode("utf-8")), np.int32)
    raise ValueError(f"tf.strings.length: unit must be 'BYTE' or 'UTF8_CHAR'; received {unit!r}.")


def substr(input, pos, len, name=None, unit="BYTE"):
    """The `len` bytes (or UTF-8 characters) of each string from `pos` (negative: from the end)."""
    size = len

    def cut(b):
        s = b.decode("utf-8") if unit == "UTF8_CHAR" else b
        start = int(pos) + builtin_len(s) if int(pos) < 0 else int(pos)
        if start > builtin_len(s) or start < 0:
            raise InvalidArgumentError(None, None, f"tf.strings.substr: pos {pos} is out of range for {b!r}.")
        out = s[start : start + int(size)]
        return out.encode("utf-8") if unit == "UTF8_CHAR" else out

    return _map(input, cut)


builtin_len = len


def split(input, sep=None, maxsplit=-1, name=None):
    """Split each string on `sep` (default: runs of whitespace, empty parts dropped).

    Returns a 1-D string tensor for a scalar, a RaggedTensor for a 1-D input.

    Example:

    >>> import capas as tf
    >>> tf.strings.split(["a b", "c"]).to_list()
    [[b'a', b'b'], [b'c']]
    """
    sep_b = None if sep is None else as_string_tensor(sep).numpy()
    if sep_b == b"":
        raise ValueError("tf.strings.split: sep must not be empty; use tf.strings.bytes_split.")
    return _rows(input, lambda b: b.split(sep_b, maxsplit) if b or sep_b is None else [])


def bytes_split(input, name=None):
    """Split each string into its bytes (one-byte strings)."""
    return _rows(input, lambda b: [b[i : i + 1] for i in range(builtin_len(b))])


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533, name=None):
    """Split each string into its characters (each a UTF-8 string)."""
    _check_encoding(input_encoding)
    return _rows(
        input,
        lambda b: [c.encode("utf-8") for c in b.decode("utf-8", errors="replace")],
    )


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533, name=None):
    """The Unicode code points of each string (int32)."""
    _check_encoding(input_encoding)
    return _rows(
        input,
        lambda b: [ord(c) for c in b.decode("utf-8", errors="replace")],
        values_fn=lambda flat: torch.tensor(np.asarray(flat, dtype=np.int64), dtype=torch.int32),
    )


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):
    """Code points (int32; 1-D, or a RaggedTensor of rows) -> UTF-8 strings."""
    _check_encoding(output_encoding)

    def encode(points):
        return "".join(chr(int(c)) for c in points).encode("utf-8")

    if isinstance(input, RaggedTensor):
        out = np.empty((input.nrows_int(),), dtype=object)
        for i, row in enumerate(input):
            out[i] = encode(row.tolist())
        return StringTensor._wrap(out)
    points = convert_to_tensor(input)
    if points.dim() == 1:
        return StringTensor._wrap(np.asarray(encode(points.tolist()), dtype=object))
    rows = points.reshape(-1, points.shape[-1]).tolist()
    out = np.empty((len(rows),), dtype=object)
    for i, row in enumerate(rows):
        out[i] = encode(row)
    return StringTensor._wrap(out.reshape(tuple(points.shape[:-1])))


def _check_encoding(encoding):
    if str(encoding).upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        raise NotImplementedError(f"tf.strings: only UTF-8 is supported in capas; received {encoding!r}.")


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):
    """Replace matches of `pattern` with `rewrite` (`\\1` refers to a group)."""
    regex = re.compile(_pattern(pattern))
    repl = as_string_tensor(rewrite).numpy()
    return _map(input, lambda b: regex.sub(repl, b, count=0 if replace_global else 1))


def regex_full_match(input, pattern, name=None):
    """True where the whole string matches `pattern` (a bool tensor)."""
    regex = re.compile(_pattern(pattern))
    return _map(input, lambda b: regex.fullmatch(b) is not None, np.bool_)


def _pattern(pattern):
    return as_string_tensor(pattern).numpy()


def join(inputs, separator="", name=None):
    """Join string tensors element-wise (scalars broadcast).

    Example:

    >>> import capas as tf
    >>> tf.strings.join([["a", "b"], ["c", "d"]], separator="-").numpy().tolist()
    [b'a-c', b'b-d']
    """
    arrays = np.broadcast_arrays(*[_arr(x) for x in inputs])
    sep = as_string_tensor(separator).numpy()
    out = np.empty(arrays[0].shape, dtype=object)
    flat = out.reshape(-1)
    columns = [a.reshape(-1) for a in arrays]
    for i in range(flat.size):
        flat[i] = sep.join(c[i] for c in columns)
    return StringTensor._wrap(out)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Join the strings along `axis` (all of them when None).

    A `tf.RaggedTensor` of strings (the characters of `tf.strings.unicode_split`) joins each row
    along its last (ragged) axis, as TF: `[[b'a', b'b'], [b'c']]` gives `[b'ab', b'c']`.
    """
    if isinstance(inputs, RaggedTensor):
        return _reduce_join_ragged(inputs, axis, keepdims, separator)
    arr = _arr(inputs)
    sep = as_string_tensor(separator).numpy()
    if axis is None:
        out = np.asarray(sep.join(arr.reshape(-1).tolist()), dtype=object)
        return StringTensor._wrap(out.reshape((1,) * arr.ndim) if keepdims else out)
    axis = int(axis) % arr.ndim
    moved = np.moveaxis(arr, axis, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    flat_out, rows = out.reshape(-1), moved.reshape(-1, moved.shape[-1])
    for i, row in enumerate(rows):
        flat_out[i] = sep.join(row.tolist())
    if keepdims:
        out = np.expand_dims(out, axis)
    return StringTensor._wrap(out)


def _reduce_join_ragged(inputs, axis, keepdims, separator):
    sep = as_string_tensor(separator).numpy()
    rank = inputs.shape.rank if hasattr(inputs.shape, "rank") else len(inputs.shape)
    if axis is None:
        return reduce_join(inputs.flat_values, None, keepdims=False, separator=separator)
    if int(axis) % rank != rank - 1 or rank != 2 or keepdims:
        raise InvalidArgumentError(
            None,
            None,
            f"tf.strings.reduce_join: capas joins a RaggedTensor along its last axis of a 2-D ragged "
            f"tensor only (axis=-1 or 1, keepdims=False); received rank {rank}, axis={axis}, "
            f"keepdims={keepdims}. Join its flat_values or call .to_tensor(default_value=b'') first.",
        )
    values = _arr(inputs.flat_values).reshape(-1).tolist()
    splits = [int(v) for v in inputs.row_splits.tolist()]
    out = np.empty(len(splits) - 1, dtype=object)
    for i in range(len(splits) - 1):
        out[i] = sep.join(values[splits[i] : splits[i + 1]])
    return StringTensor._wrap(out)


def to_number(input, out_type="float32", name=None):
    """Parse each string as a number of `out_type` (default float32).

    Raises:
        InvalidArgumentError: a string that is not a number, as TF.
    """
    if isinstance(input, RaggedTensor):  # elementwise: parse the flat values, keep the row splits
        return input.with_flat_values(to_number(input.flat_values, out_type))
    dtype = as_torch_dtype(out_type)
    parse = float if dtype.is_floating_point else int

    def convert(b):
        try:
            return parse(b.decode("utf-8").strip())
        except ValueError:
            raise InvalidArgumentError(
                None,
                None,
                f"tf.strings.to_number: StringToNumberOp could not correctly convert string: {b!r}",
            ) from None

    arr = _arr(input)
    values = [convert(b) for b in arr.reshape(-1)]
    return (
        convert_to_tensor(np.asarray(values, dtype=np.float64 if dtype.is_floating_point else np.int64))
        .reshape(arr.shape)
        .to(dtype)
    )


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):
    """Format each number as a string (floats as `%f`, 6 decimals by default, as TF)."""
    x = convert_to_tensor(input)
    if isinstance(x, StringTensor):
        return x
    arr = x.detach().cpu().numpy()
    if x.dtype.is_floating_point:
        conv = "e" if scientific else ("g" if shortest else "f")
        spec = f"%{fill}{width if width >= 0 else ''}{'.' + str(precision) if precision >= 0 else ''}{conv}"
    elif x.dtype == torch.bool:
        return StringTensor._wrap(np.where(arr, b"true", b"false").astype(object))
    else:
        spec = f"%{fill}{width if width >= 0 else ''}d"
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1).tolist()):
        flat[i] = (spec % v).encode("ascii")
    return StringTensor._wrap(out)
