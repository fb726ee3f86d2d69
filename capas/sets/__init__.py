"""`tf.sets`: set operations along the last axis of dense tensors (or SparseTensors).

Each row (all axes but the last) is a set; the results are `tf.SparseTensor`s whose
rows hold the sorted members, as TF returns them, and `size` counts distinct members.

>>> import capas as tf
>>> u = tf.sets.union(tf.constant([[1, 2], [3, 3]]), tf.constant([[2, 5], [1, 3]]))
>>> tf.sparse.to_dense(u).tolist()
[[1, 2, 5], [1, 3, 0]]
"""

import torch

from capas.ops import _missing
from capas.ops._utils import to_tensor
from capas.sparse.sparse_tensor import SparseTensor


def _rows(x):
    """The members of each row (list of python sets), and the leading shape."""
    if isinstance(x, SparseTensor):
        lead = [int(d) for d in x.dense_shape.tolist()[:-1]]
        count = 1
        for d in lead:
            count *= d
        rows = [set() for _ in range(count)]
        strides = []
        step = 1
        for d in reversed(lead):
            strides.append(step)
            step *= d
        strides = strides[::-1]
        for index, value in zip(x.indices.tolist(), x.values.tolist()):
            flat = sum(i * s for i, s in zip(index[:-1], strides))
            rows[flat].add(value)
        return rows, lead, x.values.dtype
    x = to_tensor(x)
    if x.dim() < 1:
        raise ValueError(
            f"tf.sets: inputs must have rank at least 1 (sets along the last axis); got shape {tuple(x.shape)}."
        )
    lead = list(x.shape[:-1])
    flat = x.reshape(-1, x.shape[-1]) if x.shape[-1] else x.reshape(-1, 0)
    return [set(row) for row in flat.tolist()], lead, x.dtype


def _as_sparse(rows, lead, dtype):
    width = max((len(r) for r in rows), default=0)
    indices = []
    values = []
    for flat, members in enumerate(rows):
        coords = []
        rest = flat
        for d in reversed(lead):
            coords.append(rest % d)
            rest //= d
        coords = coords[::-1]
        for j, v in enumerate(sorted(members)):
            indices.append(coords + [j])
            values.append(v)
    rank = len(lead) + 1
    return SparseTensor(
        torch.tensor(indices, dtype=torch.int64).reshape(-1, rank),
        torch.tensor(values, dtype=dtype),
        lead + [width],
    )


def _binary(a, b, combine, name):
    rows_a, lead_a, dtype_a = _rows(a)
    rows_b, lead_b, dtype_b = _rows(b)
    if dtype_a != dtype_b:
        raise TypeError(f"tf.sets.{name}: both inputs need one dtype; got {dtype_a} and {dtype_b}.")
    if lead_a != lead_b:
        raise ValueError(
            f"tf.sets.{name}: the inputs' shapes must agree on all axes but the last; got {lead_a} and {lead_b}."
        )
    return _as_sparse([combine(x, y) for x, y in zip(rows_a, rows_b)], lead_a, dtype_a)


def union(a, b, validate_indices=True):
    """The members of `a` or `b`, per row, as a SparseTensor."""
    return _binary(a, b, set.union, "union")


def intersection(a, b, validate_indices=True):
    """The members of both `a` and `b`, per row, as a SparseTensor."""
    return _binary(a, b, set.intersection, "intersection")


def difference(a, b, aminusb=True, validate_indices=True):
    """`a - b` per row (or `b - a` with `aminusb=False`), as a SparseTensor."""
    return _binary(a, b, (lambda x, y: x - y) if aminusb else (lambda x, y: y - x), "difference")


def size(a, validate_indices=True):
    """The number of distinct members of each row of the SparseTensor `a` (int32), as TF: dense input is a TypeError."""
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.\ntf.sets.size: convert with tf.sparse.from_dense(a).")
    rows, lead, _ = _rows(a)
    return torch.tensor([len(r) for r in rows], dtype=torch.int32).reshape(lead)


__getattr__ = _missing.make_getattr(__name__, "tf.sets")
