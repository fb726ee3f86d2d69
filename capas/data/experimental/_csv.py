"""CSV datasets: `tf.data.experimental.CsvDataset` and `make_csv_dataset`.

Rows are parsed lazily with Python's `csv` module, so a CSV file larger than
memory streams.
"""

import collections
import csv
import io
import math

import numpy as np
import torch

import capas.data.dataset as _ds
from capas.data._files import filenames_of, list_files, open_file
from capas.data._structure import (
    make_spec,
    make_string,
    spec_of_leaf,
    string,
    to_leaf,
    to_numpy,
)
from capas.ops._convert import as_torch_dtype

_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def _column_types(record_defaults):
    """(dtype, default leaf or None) per column; a bare dtype means the column is required."""
    out = []
    for d in record_defaults:
        if d is string or d == "string":
            out.append((string, None))
            continue
        try:
            dtype = as_torch_dtype(d) if isinstance(d, (torch.dtype, str)) and d != "" else None
        except (TypeError, ValueError):
            dtype = None
        if dtype is not None and not isinstance(d, str):
            out.append((dtype, None))
            continue
        leaf = to_leaf(d)
        if hasattr(leaf, "numel") and leaf.numel() == 0:  # tf.constant([], dtype): required
            out.append((leaf.dtype, None))
            continue
        spec = spec_of_leaf(leaf)
        out.append((spec.dtype, leaf.reshape(()) if hasattr(leaf, "reshape") else leaf))
    return out


def _parse(field, dtype, default, column, path, line_no, na_value):
    if field == "" or field == na_value:
        if default is None:
            raise ValueError(
                f"CsvDataset: field {column} of line {line_no} in {path!r} is empty, and record_defaults gives no "
                "default for it. Give a default value (not just a dtype) for that column, or fix the file."
            )
        return default
    try:
        if dtype is string:
            return make_string(field)
        if dtype in _FLOATS:
            return torch.tensor(float(field), dtype=dtype)
        if dtype == torch.bool:
            return torch.tensor(field.strip().lower() in ("1", "true"), dtype=dtype)
        return torch.tensor(int(field), dtype=dtype)
    except (ValueError, OverflowError):
        raise ValueError(
            f"CsvDataset: field {column} of line {line_no} in {path!r} is {field!r}, which is not a valid "
            f"{getattr(dtype, 'name', dtype)}."
        ) from None


class CsvDataset(_ds.Dataset):
    """The rows of CSV files as tuples of scalars, one per (selected) column.

    Args:
        filenames: a path, a list of paths, or a dataset of paths.
        record_defaults: per selected column, a dtype (the column is required) or a
            default value (its dtype is the column's; used for empty fields).
        compression_type: None, "GZIP" or "ZLIB".
        header: skip the first line of each file.
        field_delim: the field separator.
        use_quote_delim: treat double quotes as quoting (so a quoted field may hold
            the delimiter).
        na_value: a field equal to this counts as missing.
        select_cols: indices of the columns to keep (in increasing order).
        exclude_cols: indices of the columns to drop (instead of `select_cols`).

    Example:

    >>> import capas as tf, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write("1,2.5\\n3,\\n")
    >>> ds = tf.data.experimental.CsvDataset(path, [tf.int32, 0.0])
    >>> [(int(a), float(b)) for a, b in ds]
    [(1, 2.5), (3, 0.0)]
    """

    def __init__(
        self,
        filenames,
        record_defaults,
        compression_type=None,
        buffer_size=None,
        header=False,
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=None,
        exclude_cols=None,
        name=None,
    ):
        paths = filenames_of(filenames, "CsvDataset")
        columns = _column_types(list(record_defaults))
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("CsvDataset: give select_cols or exclude_cols, not both.")
        if select_cols is not None:
            select_cols = [int(c) for c in select_cols]
            if select_cols != sorted(set(select_cols)) or len(select_cols) != len(columns):
                raise ValueError(
                    f"CsvDataset: select_cols {select_cols} must be increasing and have one entry per record_defaults "
                    f"({len(columns)})."
                )
        exclude = {int(c) for c in exclude_cols} if exclude_cols is not None else set()

        def rows():
            for path in paths:
                with open_file(path, compression_type) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
                    reader = csv.reader(text, delimiter=field_delim, quoting=quoting)
                    for line_no, fields in enumerate(reader, start=1):
                        if header and line_no == 1:
                            continue
                        if not fields:
                            continue
                        yield path, line_no, fields

        def make_iter():
            for path, line_no, fields in rows():
                if select_cols is not None:
                    picked = [(c, fields[c] if c < len(fields) else "") for c in select_cols]
                else:
                    picked = [(c, f) for c, f in enumerate(fields) if c not in exclude]
                if len(picked) != len(columns):
                    raise ValueError(
                        f"CsvDataset: line {line_no} of {path!r} has {len(picked)} fields, but record_defaults has "
                        f"{len(columns)}. Check field_delim, header and select_cols."
                    )
                yield tuple(
                    _parse(f, dtype, default, c, path, line_no, na_value)
                    for (c, f), (dtype, default) in zip(picked, columns)
                )

        spec = tuple(make_spec([], dtype) for dtype, _ in columns)
        super().__init__(make_iter, _ds.UNKNOWN_CARDINALITY, spec)


def _infer_dtype(values, na_value):
    """TF's inference: the first of int32, int64, float32, float64, string that holds every value."""
    kinds = [torch.int32, torch.int64, torch.float32, torch.float64, string]
    level = 0
    for v in values:
        if v == "" or v == na_value:
            continue
        while level < 4:
            try:
                if level < 2:
                    info = np.iinfo(np.int32 if level == 0 else np.int64)
                    if info.min <= int(v) <= info.max:
                        break
                else:
                    x = float(v)
                    if level == 3 or abs(x) <= np.finfo(np.float32).max or math.isnan(x):
                        break
            except ValueError:
                pass
            level += 1
    return kinds[level]


def make_csv_dataset(
    file_pattern,
    batch_size,
    column_names=None,
    column_defaults=None,
    label_name=None,
    select_columns=None,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    header=True,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy=False,
    num_rows_for_inference=100,
    compression_type=None,
    ignore_errors=False,
    encoding="utf-8",
):
    """Batches of CSV rows as `(features, label)` (or `features`), features a dict by column name.

    Column types are inferred from the first `num_rows_for_inference` rows
    unless `column_defaults` gives them. With `num_epochs=None` the data
    repeats forever and the last, partial batch is dropped, as in TF.

    Example:

    >>> import capas as tf, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write("x,y\\n1,0\\n2,1\\n")
    >>> ds = tf.data.experimental.make_csv_dataset(path, 2, label_name="y", num_epochs=1, shuffle=False)
    >>> features, label = next(iter(ds))
    >>> features["x"].tolist(), label.tolist()
    ([1, 2], [0, 1])
    """
    paths = [to_numpy(p).decode() for p in list_files(file_pattern, shuffle=False)]
    first = _first_rows(paths[0], compression_type, field_delim, use_quote_delim, num_rows_for_inference + 1)
    if column_names is None:
        if not header:
            raise ValueError("make_csv_dataset: give column_names when the files have no header.")
        column_names = first[0]
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        raise ValueError(f"make_csv_dataset: column_names {column_names} has duplicates.")
    if select_columns is not None:
        indices = sorted(column_names.index(c) if isinstance(c, str) else int(c) for c in select_columns)
    else:
        indices = list(range(len(column_names)))
    names = [column_names[i] for i in indices]
    if label_name is not None and label_name not in names:
        raise ValueError(f"make_csv_dataset: label_name {label_name!r} is not one of the columns {names}.")
    if column_defaults is None:
        body = first[1:] if header else first
        column_defaults = [_infer_dtype([r[i] if i < len(r) else "" for r in body], na_value) for i in indices]
    if len(column_defaults) != len(indices):
        raise ValueError(
            f"make_csv_dataset: column_defaults has {len(column_defaults)} entries for {len(indices)} selected columns."
        )

    files = _ds.Dataset.from_tensor_slices(make_string(paths))
    if shuffle:
        files = files.shuffle(len(paths), seed=shuffle_seed)
    dataset = files.interleave(
        lambda p: CsvDataset(
            p,
            column_defaults,
            compression_type,
            header=header,
            field_delim=field_delim,
            use_quote_delim=use_quote_delim,
            na_value=na_value,
            select_cols=indices,
        ),
        cycle_length=num_parallel_reads or 1,
    )
    if ignore_errors:
        dataset = dataset.ignore_errors()
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_features(*columns):
        features = collections.OrderedDict(zip(names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label

    return dataset.map(to_features).prefetch(prefetch_buffer_size or _ds.AUTOTUNE)


def _first_rows(path, compression_type, field_delim, use_quote_delim, n):
    with open_file(path, compression_type) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        reader = csv.reader(
            text, delimiter=field_delim, quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
        )
        rows = []
        for fields in reader:
            if fields:
                rows.append(fields)
            if len(rows) >= n:
                break
    if not rows:
        raise ValueError(f"make_csv_dataset: {path!r} is empty.")
    return rows
