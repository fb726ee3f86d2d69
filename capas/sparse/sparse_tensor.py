"""`tf.sparse` basics: SparseTensor (COO indices, values, dense_shape) over torch."""

import torch

from capas.ops._convert import convert_to_tensor
from capas.errors import InvalidArgumentError


class SparseTensor:
    """A sparse tensor: `values[i]` sits at `indices[i]` in a tensor of `dense_shape`.

    Args:
        indices: int64 `[N, rank]` positions.
        values: `[N]` values.
        dense_shape: the dense shape (`[rank]`).

    Example:

    >>> import capas as tf
    >>> sp = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[3.0, 4.0], dense_shape=[3, 2])
    >>> tf.sparse.to_dense(sp).tolist()
    [[0.0, 3.0], [0.0, 0.0], [4.0, 0.0]]
    """

    def __init__(self, indices, values, dense_shape):
        self.indices = convert_to_tensor(indices, dtype=torch.int64).reshape(-1, len(list(dense_shape)))
        self.values = convert_to_tensor(values)
        self.dense_shape = convert_to_tensor(dense_shape, dtype=torch.int64)

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        return torch.Size(self.dense_shape.tolist())

    def to_torch(self):
        """The same tensor as a `torch.sparse_coo_tensor`."""
        return torch.sparse_coo_tensor(
            self.indices.T,
            self.values,
            tuple(self.dense_shape.tolist()),
            check_invariants=True,
        )

    def __repr__(self):
        return (
            f"SparseTensor(indices={self.indices.tolist()}, values={self.values.tolist()}, "
            f"dense_shape={self.dense_shape.tolist()})"
        )


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor; positions without a value get `default_value` (0)."""
    fill = 0 if default_value is None else default_value
    out = torch.full(tuple(sp_input.dense_shape.tolist()), fill, dtype=sp_input.values.dtype)
    if sp_input.indices.numel():
        out[tuple(sp_input.indices.T)] = sp_input.values
    return out


def from_dense(tensor, name=None):
    """A SparseTensor of the non-zero entries of `tensor` (row-major order)."""
    dense = convert_to_tensor(tensor)
    indices = torch.nonzero(dense != 0)
    return SparseTensor(indices, dense[tuple(indices.T)], list(dense.shape))


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """`sp_a @ b` with a sparse `sp_a` and a dense `b`."""
    b = convert_to_tensor(b)
    a = sp_a.to_torch()
    if adjoint_a:
        a = a.t().conj()
    if adjoint_b:
        b = b.mH
    return torch.sparse.mm(a, b.to(a.dtype))


def reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major (canonical) order."""
    shape = sp_input.dense_shape.tolist()
    strides = torch.tensor(
        [int(torch.tensor(shape[i + 1 :]).prod()) for i in range(len(shape))],
        dtype=torch.int64,
    )
    order = torch.argsort((sp_input.indices * strides).sum(1))
    return SparseTensor(sp_input.indices[order], sp_input.values[order], shape)


def add(a, b, threshold=0, name=None):
    """`a + b`: two SparseTensors give a SparseTensor (entries summed), a dense `b` a dense tensor."""
    if not isinstance(b, SparseTensor):
        return to_dense(a) + convert_to_tensor(b)
    if a.dense_shape.tolist() != b.dense_shape.tolist():
        raise InvalidArgumentError(
            None,
            "SparseAdd",
            f"tf.sparse.add: dense shapes differ: {a.dense_shape.tolist()} vs {b.dense_shape.tolist()}.",
        )
    summed = to_dense(a) + to_dense(b)
    keep = torch.cat([a.indices, b.indices]).unique(dim=0)
    out = SparseTensor(keep, summed[tuple(keep.T)], a.dense_shape.tolist())
    return reorder(out)


def reduce_sum(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    """The sum of the entries (along `axis`), as a dense tensor."""
    dense = to_dense(sp_input)
    if axis is None:
        return dense.sum()
    return dense.sum(dim=axis, keepdim=bool(keepdims))


def slice(sp_input, start, size, name=None):
    """The entries inside the box `[start, start + size)`, re-based to `start`."""
    start = torch.as_tensor(list(start), dtype=torch.int64)
    shape = sp_input.dense_shape
    end = torch.minimum(start + torch.as_tensor(list(size), dtype=torch.int64), shape)
    inside = ((sp_input.indices >= start) & (sp_input.indices < end)).all(1)
    return SparseTensor(
        sp_input.indices[inside] - start,
        sp_input.values[inside],
        (end - start).tolist(),
    )
