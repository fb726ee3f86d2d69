"""`tf.nn.embedding_lookup_sparse` and `tf.nn.safe_embedding_lookup_sparse`: bags of ids combined per row."""

import torch

from capas.ops._recording import op
from capas.ops._utils import to_tensor

_COMBINERS = ("sum", "mean", "sqrtn")


def _clip(rows, max_norm):
    if max_norm is None:
        return rows
    norms = torch.linalg.vector_norm(rows, dim=-1, keepdim=True)
    return rows * torch.clamp(max_norm / torch.clamp_min(norms, 1e-12), max=1.0)


def _combine(params, segments, ids, weights, combiner, num_rows, max_norm):
    rows = _clip(params[ids], max_norm)
    if weights is None:
        weights = torch.ones(ids.shape[0], dtype=params.dtype, device=params.device)
    weights = weights.to(params.dtype)
    shape = (num_rows,) + tuple(params.shape[1:])
    total = params.new_zeros(shape).index_add(0, segments, rows * weights.reshape((-1,) + (1,) * (params.dim() - 1)))
    if combiner == "sum":
        return total
    norm = params.new_zeros(num_rows)
    if combiner == "mean":
        norm = norm.index_add(0, segments, weights)
    else:
        norm = torch.sqrt(norm.index_add(0, segments, weights * weights))
    norm = norm.reshape((-1,) + (1,) * (params.dim() - 1))
    return torch.where(norm > 0, total / torch.where(norm > 0, norm, torch.ones_like(norm)), torch.zeros_like(total))


def _check(combiner, op_name):
    if combiner not in _COMBINERS:
        raise ValueError(f"tf.nn.{op_name}: `combiner` must be one of {_COMBINERS}; received {combiner!r}.")


@op
def embedding_lookup_sparse(
    params, sp_ids, sp_weights, combiner="mean", max_norm=None, name=None, allow_fast_lookup=False
):
    """Look up the ids of each row of the SparseTensor `sp_ids` and combine them ('sum', 'mean' or 'sqrtn').

    Args:
        params: the embedding table `[vocab, dim]`.
        sp_ids: a SparseTensor `[batch, k]` of int ids (row = example).
        sp_weights: a SparseTensor of weights with the same indices, or None (all 1).
        combiner: 'mean' (weighted average, default), 'sum' or 'sqrtn' (sum / sqrt of summed squared weights).
        max_norm: clip each looked-up embedding to this l2 norm first.

    Returns:
        `[last row with ids + 1, dim]` (as TF: trailing rows without ids are left out); rows without
        ids before it are zeros.
    """
    _check(combiner, "embedding_lookup_sparse")
    p = to_tensor(params)
    segments = sp_ids.indices[:, 0].to(p.device)
    ids = sp_ids.values.to(torch.int64).to(p.device)
    weights = None if sp_weights is None else sp_weights.values.to(p.device)
    num_rows = int(segments.max()) + 1 if segments.numel() else 0  # as TF: up to the last row with ids
    return _combine(p, segments, ids, weights, combiner, num_rows, max_norm)


@op
def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    max_norm=None,
    name=None,
    allow_fast_lookup=False,
):
    """`embedding_lookup_sparse` that drops invalid ids (< 0) and non-positive weights, and fills empty rows.

    Empty rows get the embedding of `default_id`, or zeros. `sparse_ids` may have more than two
    dimensions: the output is `dense_shape[:-1] + [dim]`.
    """
    _check(combiner, "safe_embedding_lookup_sparse")
    p = to_tensor(embedding_weights[0] if isinstance(embedding_weights, (list, tuple)) else embedding_weights)
    dense_shape = [int(d) for d in sparse_ids.dense_shape.tolist()]
    indices = sparse_ids.indices.to(p.device)
    ids = sparse_ids.values.to(torch.int64).to(p.device)
    weights = None if sparse_weights is None else sparse_weights.values.to(p.device)
    keep = ids >= 0
    if weights is not None:
        keep = keep & (weights > 0)
    indices, ids = indices[keep], ids[keep]
    weights = None if weights is None else weights[keep]
    outer = dense_shape[:-1]
    strides = [1] * len(outer)
    for i in range(len(outer) - 2, -1, -1):
        strides[i] = strides[i + 1] * outer[i + 1]
    segments = (indices[:, : len(outer)] * torch.tensor(strides, device=p.device)).sum(1)
    num_rows = 1
    for d in outer:
        num_rows *= d
    out = _combine(p, segments, ids, weights, combiner, num_rows, max_norm)
    if default_id is not None:
        present = torch.zeros(num_rows, dtype=torch.bool, device=p.device)
        present[segments] = True
        default = _clip(p[int(default_id)][None], max_norm)
        out = torch.where(present.reshape((-1,) + (1,) * (p.dim() - 1)), out, default.expand_as(out))
    return out.reshape(outer + list(p.shape[1:]))
