"""`tf.io.decode_csv`: CSV records (string tensors) to one tensor per column."""

import csv

import numpy as np
import torch

from capas.errors import InvalidArgumentError
from capas.ops._convert import as_torch_dtype
from capas.ops.strings import StringTensor, as_string_tensor, string


def _column_type(default):
    """(dtype, default or None when the column is required) for one `record_defaults` item."""
    if default is string or getattr(default, "name", None) == "string" and not isinstance(default, StringTensor):
        return string, None
    if isinstance(default, StringTensor):
        return string, (default.numpy() if default.ndim == 0 else None) if default.numel() else None
    if isinstance(default, (str, bytes)):
        return string, default.encode("utf-8") if isinstance(default, str) else default
    if isinstance(default, torch.Tensor):
        return default.dtype, (default.reshape(()).item() if default.numel() else None)
    if isinstance(default, bool):
        raise TypeError("tf.io.decode_csv: bool record_defaults are not supported; use 0/1 ints.")
    if isinstance(default, int):
        return torch.int32, default
    if isinstance(default, float):
        return torch.float32, default
    if isinstance(default, (list, tuple)) and len(default) <= 1:
        return _column_type(default[0]) if default else (torch.float32, None)
    return as_torch_dtype(default), None


def _parse(text, dtype, default, column, record):
    if text == "":
        if default is None:
            raise InvalidArgumentError(
                None,
                "DecodeCSV",
                f"Field {column} is required but missing in record {record!r}; give a default.",
            )
        return default
    if dtype is string:
        return text.encode("utf-8")
    try:
        return float(text) if dtype.is_floating_point else int(text)
    except ValueError:
        raise InvalidArgumentError(
            None,
            "DecodeCSV",
            f"Field {column} in record {record!r} is not a valid {dtype}: {text!r}.",
        ) from None


def decode_csv(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    select_cols=None,
    name=None,
):
    """Split each CSV record into fields, one output tensor per column (shaped like `records`).

    Args:
        records: a string tensor (or str / list of str) of CSV lines.
        record_defaults: one item per output column: a value (its type sets
            the dtype: 0 -> int32, 0.0 -> float32, "" -> string), a tensor,
            or a dtype (the column is then required).
        field_delim: the separator.
        na_value: a field equal to this counts as missing.
        select_cols: the column indices to keep (sorted).

    Example:

    >>> import capas as tf
    >>> a, b = tf.io.decode_csv(["1,x", "2,"], record_defaults=[0, "none"])
    >>> a.tolist(), b.numpy().tolist()
    ([1, 2], [b'x', b'none'])
    """
    arr = as_string_tensor(records)._array
    types = [_column_type(d) for d in record_defaults]
    columns = [[] for _ in types]
    for raw in arr.reshape(-1):
        line = raw.decode("utf-8")
        reader = csv.reader(
            [line],
            delimiter=field_delim,
            quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE,
        )
        fields = next(reader, [])
        if select_cols is not None:
            fields = [fields[c] if c < len(fields) else "" for c in select_cols]
        if len(fields) != len(types):
            raise InvalidArgumentError(
                None,
                "DecodeCSV",
                f"Expect {len(types)} fields but have {len(fields)} in record {line!r}.",
            )
        for i, (text, (dtype, default)) in enumerate(zip(fields, types)):
            columns[i].append(_parse("" if text == na_value else text, dtype, default, i, line))
    out = []
    for values, (dtype, _) in zip(columns, types):
        if dtype is string:
            col = np.empty(len(values), dtype=object)
            col[:] = values
            out.append(StringTensor._wrap(col.reshape(arr.shape)))
        else:
            out.append(torch.tensor(values, dtype=dtype).reshape(arr.shape))
    return out
