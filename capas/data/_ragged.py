"""Ragged elements in tf.data: their specs, and batching rows into RaggedTensors.

A component is ragged when its spec is a `RaggedTensorSpec`. With `ragged_rank` 0 its
value is a plain tensor (a row of a RaggedTensor, as `from_tensor_slices(ragged)` or
`unbatch` give it); otherwise a `RaggedTensor`. `batch` stacks ragged components into a
RaggedTensor with one more ragged dim, `ragged_batch` first makes every component whose
spec has an unknown dim ragged (TF's rule: up to its last unknown dim).
"""

import numpy as np
import torch

from capas.ops._convert import dtype_name
from capas.ops.strings import StringTensor
from capas.ops.tensor_spec import TensorSpec
from capas.ragged.ragged_tensor import RaggedTensor
from capas.ragged.ragged_tensor_spec import RaggedTensorSpec


def is_ragged_spec(spec):
    return isinstance(spec, RaggedTensorSpec)


def spec_of_ragged(value):
    return RaggedTensorSpec(value.shape, value.dtype, value.ragged_rank)


def to_ragged_spec(spec):
    """What `ragged_batch` batches a component as: ragged up to its last unknown dim, else as is."""
    if not isinstance(spec, TensorSpec) or isinstance(spec, RaggedTensorSpec):
        return spec
    dims = spec.shape.as_list() if spec.shape.rank else None
    if not dims or all(d is not None for d in dims):
        return spec
    ragged_rank = max(i for i, d in enumerate(dims) if d is None)
    return RaggedTensorSpec(dims, spec.dtype, ragged_rank)


def batch_spec(spec, batch_dim):
    return RaggedTensorSpec([batch_dim] + spec.shape.as_list(), spec.dtype, spec.ragged_rank + 1)


def unbatch_spec(spec, make_spec):
    dims = spec.shape.as_list()[1:]
    if spec.ragged_rank == 0:
        return make_spec(dims, spec.dtype)
    return RaggedTensorSpec(dims, spec.dtype, spec.ragged_rank - 1)


def relax(a, b):
    if not (is_ragged_spec(a) and is_ragged_spec(b)) or a.ragged_rank != b.ragged_rank or a.shape.rank != b.shape.rank:
        return None
    dims = [x if x == y else None for x, y in zip(a.shape.as_list(), b.shape.as_list())]
    return RaggedTensorSpec(dims, a.dtype, a.ragged_rank)


def dummy(spec, fill, make_dense):
    """A placeholder value for `spec`: unknown dims have size `fill`."""
    shape = [fill if d is None else d for d in spec.shape.as_list()]
    return as_ragged(make_dense(shape), spec.ragged_rank)


def _reshape(value, shape):
    if isinstance(value, StringTensor):
        return StringTensor._wrap(np.asarray(value, dtype=object).reshape(shape))
    return value.reshape(shape)


def as_ragged(value, ragged_rank):
    """A dense component as a RaggedTensor of `ragged_rank` (its rows all full length)."""
    if ragged_rank == 0 or isinstance(value, RaggedTensor):
        return value
    shape = tuple(value.shape)
    if len(shape) <= ragged_rank:
        raise ValueError(f"Dataset.ragged_batch: a component of shape {shape} cannot have ragged_rank {ragged_rank}.")
    values = as_ragged(_reshape(value, (shape[0] * shape[1], *shape[2:])), ragged_rank - 1)
    return RaggedTensor.from_row_lengths(values, [shape[1]] * shape[0])


def _concat(parts):
    first = parts[0]
    if isinstance(first, RaggedTensor):
        splits, offset = [torch.zeros(1, dtype=torch.int64)], 0
        for part in parts:
            splits.append(part.row_splits[1:] + offset)
            offset += int(part.row_splits[-1])
        return RaggedTensor(_concat([p.values for p in parts]), torch.cat(splits))
    if isinstance(first, StringTensor):
        return StringTensor._wrap(np.concatenate([np.asarray(p, dtype=object) for p in parts]))
    dtypes = {p.dtype for p in parts}
    if len(dtypes) > 1:
        names = ", ".join(sorted(dtype_name(d) for d in dtypes))
        raise ValueError(
            f"Dataset.batch: the rows of a ragged component have different dtypes ({names}); "
            "cast them to one dtype (tf.cast in a map) before batching."
        )
    return torch.cat(parts)


def stack(leaves, ragged_rank):
    """Rows (dense components or RaggedTensors of `ragged_rank`) -> one RaggedTensor."""
    parts = [as_ragged(leaf, ragged_rank) for leaf in leaves]
    ranks = {len(tuple(p.shape)) for p in parts}
    if 0 in ranks:
        raise ValueError("Dataset.batch: a ragged component must have at least one dimension; received a scalar.")
    lengths = [len(p) if isinstance(p, RaggedTensor) else int(p.shape[0]) for p in parts]
    return RaggedTensor.from_row_lengths(_concat(parts), lengths)
