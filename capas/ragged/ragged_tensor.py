"""`tf.RaggedTensor` basics: rows of different lengths, as flat values plus row splits."""

import numpy as np
import torch

from capas.ops._convert import convert_to_tensor
from capas.ops.strings import StringTensor


def _pad_value(values, default_value):
    if isinstance(values, StringTensor):
        return b"" if default_value is None else default_value
    return 0 if default_value is None else default_value


class RaggedTensor:
    """A tensor whose rows have different lengths (ragged_rank 1, or nested).

    `values` holds the rows end to end (a tensor, string tensor or another
    RaggedTensor); `row_splits[i]:row_splits[i + 1]` is row `i`. Build one
    with `tf.ragged.constant` or `RaggedTensor.from_row_lengths`.

    Example:

    >>> import capas as tf
    >>> rt = tf.ragged.constant([[1, 2, 3], [], [4]])
    >>> rt.row_lengths().tolist(), rt.to_tensor().tolist()
    ([3, 0, 1], [[1, 2, 3], [0, 0, 0], [4, 0, 0]])
    """

    def __init__(self, values, row_splits):
        if not isinstance(values, (RaggedTensor, StringTensor, torch.Tensor)):
            values = convert_to_tensor(values)
        self.values = values
        self.row_splits = torch.as_tensor(row_splits, dtype=torch.int64)

    @classmethod
    def from_row_splits(cls, values, row_splits):
        return cls(values, row_splits)

    @classmethod
    def from_row_lengths(cls, values, row_lengths):
        lengths = torch.as_tensor(row_lengths, dtype=torch.int64)
        return cls(
            values,
            torch.cat([torch.zeros(1, dtype=torch.int64), torch.cumsum(lengths, 0)]),
        )

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None):
        """Rows from the row id of each value (ids sorted ascending)."""
        ids = torch.as_tensor(value_rowids, dtype=torch.int64)
        n = int(ids.max()) + 1 if nrows is None and ids.numel() else int(nrows or 0)
        values = values if isinstance(values, (RaggedTensor, StringTensor)) else convert_to_tensor(values)
        return cls.from_row_lengths(values, torch.bincount(ids, minlength=n))

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1):
        """Rows of a dense 2-D tensor, cut at `lengths` or before trailing `padding` values."""
        dense = convert_to_tensor(tensor)
        if lengths is not None:
            lens = [int(n) for n in torch.as_tensor(lengths).tolist()]
        elif padding is not None:
            keep = dense != padding
            width = dense.shape[1]
            lens = [int(width - torch.argmax(row.flip(0).to(torch.int8)).item()) if row.any() else 0 for row in keep]
        else:
            lens = [dense.shape[1]] * dense.shape[0]
        values = torch.cat([dense[i, :n] for i, n in enumerate(lens)]) if lens else dense.reshape(0)
        return cls.from_row_lengths(values, lens)

    def with_flat_values(self, new_values):
        """The same row structure over `new_values`."""
        if isinstance(self.values, RaggedTensor):
            return RaggedTensor(self.values.with_flat_values(new_values), self.row_splits)
        return RaggedTensor(new_values, self.row_splits)

    def bounding_shape(self, axis=None):
        """The shape of the smallest dense tensor holding every row (int64)."""
        dense_shape = [
            self.nrows_int(),
            int(self.row_lengths().max()) if self.nrows_int() else 0,
        ]
        inner = (
            list(self.values.shape[1:])
            if not isinstance(self.values, RaggedTensor)
            else list(self.values.bounding_shape()[1:].tolist())
        )
        out = torch.tensor(dense_shape + inner, dtype=torch.int64)
        return out if axis is None else out[axis]

    @classmethod
    def from_rows(cls, rows, values_fn):
        """Rows (lists) -> RaggedTensor, `values_fn(flat list)` building the flat values."""
        lengths = [len(r) for r in rows]
        flat = [v for r in rows for v in r]
        return cls.from_row_lengths(values_fn(flat), lengths)

    @property
    def flat_values(self):
        values = self.values
        while isinstance(values, RaggedTensor):
            values = values.values
        return values

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def ragged_rank(self):
        return 1 + (self.values.ragged_rank if isinstance(self.values, RaggedTensor) else 0)

    @property
    def shape(self):
        inner = (
            list(self.values.shape[1:])
            if not isinstance(self.values, RaggedTensor)
            else [None] * (len(self.values.shape) - 1)
        )
        return (self.nrows_int(), None, *inner)

    def nrows_int(self):
        return len(self.row_splits) - 1

    def nrows(self):
        return torch.tensor(self.nrows_int(), dtype=torch.int64)

    def row_lengths(self):
        return self.row_splits[1:] - self.row_splits[:-1]

    def __len__(self):
        return self.nrows_int()

    def __getitem__(self, i):
        if isinstance(i, slice) and i.step in (None, 1):
            start, stop, _ = i.indices(self.nrows_int())
            stop = max(stop, start)
            splits = self.row_splits[start : stop + 1]
            lo, hi = int(splits[0]), int(splits[-1])
            return RaggedTensor(self.values[lo:hi], splits - lo)
        if not isinstance(i, (int, np.integer)):
            raise TypeError(f"RaggedTensor indexing takes a row index or a row slice; received {i!r}.")
        n = self.nrows_int()
        i = int(i) + n if i < 0 else int(i)
        if not 0 <= i < n:
            raise IndexError(f"row {i} is out of range for a RaggedTensor with {n} rows.")
        return self.values[int(self.row_splits[i]) : int(self.row_splits[i + 1])]

    def __iter__(self):
        return (self[i] for i in range(self.nrows_int()))

    def to_list(self):
        """Nested Python lists (bytes for strings, as TF)."""
        return [_to_list(row) for row in self]

    def numpy(self):
        return np.array(
            [
                np.asarray(
                    _to_list(row) if isinstance(row, RaggedTensor) else row.numpy(),
                    dtype=None,
                )
                for row in self
            ]
            + [None],
            dtype=object,
        )[:-1]

    def to_tensor(self, default_value=None, shape=None):
        """A dense tensor, short rows padded with `default_value` (0 or b'')."""
        rows = [r.to_tensor(default_value) if isinstance(r, RaggedTensor) else r for r in self]
        width = max((len(r) for r in rows), default=0)
        if shape is not None and shape[1] is not None:
            width = int(shape[1])
        pad = _pad_value(self.flat_values, default_value)
        if isinstance(self.flat_values, StringTensor):
            out = np.full((len(rows), width, *self.values.shape[1:]), pad, dtype=object)
            for i, r in enumerate(rows):
                out[i, : min(len(r), width)] = np.asarray(r)[:width]
            return StringTensor(out)
        ndim = max((r.dim() for r in rows), default=1)
        inner = [max((int(r.shape[d]) for r in rows), default=0) for d in range(1, ndim)]
        out = torch.full((len(rows), width, *inner), pad, dtype=self.dtype)
        for i, r in enumerate(rows):
            r = r[:width]
            out[i][tuple(slice(0, int(n)) for n in r.shape)] = r
        return out

    def __repr__(self):
        return f"<tf.RaggedTensor {self.to_list()!r}>"

    # Operators: tf ops on the flat values (`x + 1`, `x * y` with the same row lengths), as TF.
    def __add__(self, other):
        return _math("add", self, other)

    def __radd__(self, other):
        return _math("add", other, self)

    def __sub__(self, other):
        return _math("subtract", self, other)

    def __rsub__(self, other):
        return _math("subtract", other, self)

    def __mul__(self, other):
        return _math("multiply", self, other)

    def __rmul__(self, other):
        return _math("multiply", other, self)

    def __truediv__(self, other):
        return _math("truediv", self, other)

    def __rtruediv__(self, other):
        return _math("truediv", other, self)

    def __pow__(self, other):
        return _math("pow", self, other)

    def __neg__(self):
        return self.with_flat_values(-self.flat_values)

    def __abs__(self):
        return self.with_flat_values(abs(self.flat_values))

    def __lt__(self, other):
        return _math("less", self, other)

    def __le__(self, other):
        return _math("less_equal", self, other)

    def __gt__(self, other):
        return _math("greater", self, other)

    def __ge__(self, other):
        return _math("greater_equal", self, other)


def _math(name, x, y):
    import capas  # in-function: import cycle capas -> capas.ragged -> this module

    return getattr(capas.math, name)(x, y)


def _to_list(row):
    if isinstance(row, RaggedTensor):
        return row.to_list()
    return row.tolist()


def _depth(value):
    depth = 0
    while isinstance(value, (list, tuple)):
        depth += 1
        value = next((v for v in value if not (isinstance(v, (list, tuple)) and not v)), None) if value else None
        if value is None:
            break
    return depth


def constant(pylist, dtype=None, ragged_rank=None, name=None):
    """A RaggedTensor from a nested Python list whose rows may differ in length.

    Args:
        pylist: nested lists of numbers or strings.
        dtype: optional dtype (Python ints give int32, floats float32, as TF).
        ragged_rank: how many outer dimensions are ragged (default: all but
            the innermost values).

    Example:

    >>> import capas as tf
    >>> tf.ragged.constant([["a", "b"], ["c"]]).to_list()
    [[b'a', b'b'], [b'c']]
    """
    depth = max(_depth(pylist), 2)
    ragged_rank = depth - 1 if ragged_rank is None else int(ragged_rank)
    return _build(list(pylist), ragged_rank, dtype)


def _build(rows, ragged_rank, dtype):
    lengths = [len(r) for r in rows]
    flat = [v for r in rows for v in r]
    if ragged_rank > 1:
        values = _build(flat, ragged_rank - 1, dtype)
    elif flat and any(isinstance(v, (str, bytes)) for v in np.asarray(flat, dtype=object).reshape(-1)):
        values = StringTensor(np.asarray(flat, dtype=object) if flat else np.empty((0,), dtype=object))
    elif flat:
        values = convert_to_tensor(flat, dtype=dtype)
    else:
        values = torch.zeros((0,), dtype=convert_to_tensor([], dtype=dtype or "float32").dtype)
    return RaggedTensor.from_row_lengths(values, lengths)
