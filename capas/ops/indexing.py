"""Gathering, masking, padding and one-hot encoding (TF's `array_ops`, second half)."""

import builtins

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype
from capas.ops._recording import op
from capas.ops._utils import axis_int, pair, shape_tuple, to_tensor
from capas.errors import InvalidArgumentError


def _index_tensor(indices, device):
    idx = to_tensor(indices)
    if idx.is_floating_point() or idx.dtype == torch.bool:
        raise TypeError(f"Indices must be integers; received dtype {idx.dtype}. Cast them with tf.cast(i, 'int32').")
    if device is not None and idx.device != device:
        idx = idx.to(device)
    return idx.long()


@op
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Take slices of `params` along `axis` at `indices`.

    The result has shape `params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]`. With `batch_dims=b`, the first b axes of
    `params` and `indices` are batch axes, gathered pairwise.

    Args:
        params: the tensor to take from.
        indices: an integer tensor of indices into `params.shape[axis]`
            (negative indices are not allowed, as in TF).
        axis: the axis to gather along (default `batch_dims`).
        batch_dims: the number of leading batch axes.

    Example:

    >>> import capas as tf
    >>> tf.gather(tf.constant([[1, 2, 3], [4, 5, 6]]), [2, 0], axis=1).tolist()
    [[3, 1], [6, 4]]
    """
    try:
        if type(params).__name__ == "StringTensor" and not batch_dims:
            return _gather_strings(params, indices, axis)
        return _gather(params, indices, axis, batch_dims)
    except IndexError as exc:  # TF: an index outside [0, params.shape[axis]) is an InvalidArgumentError
        raise _out_of_range("tf.gather", exc) from exc


def _gather_strings(params, indices, axis):
    # a string tensor holds a numpy array of bytes: gather in numpy
    array = params._array
    idx = np.asarray(indices.numpy() if hasattr(indices, "numpy") else indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"Indices must be integers; received dtype {idx.dtype}. Cast them with tf.cast(i, 'int32').")
    axis = 0 if axis is None else int(axis) % max(array.ndim, 1)
    return type(params)._wrap(np.take(array, idx, axis=axis))


def _out_of_range(name, exc):
    return InvalidArgumentError(
        None, name, f"{name}: an index is out of range ({exc}). Indices must lie in [0, size of the gathered axis)."
    )


def _gather(params, indices, axis, batch_dims):
    p = to_tensor(params)
    idx = _index_tensor(indices, p.device)
    b = batch_dims % (idx.dim() + 1) if batch_dims < 0 else batch_dims
    axis = axis_int(b if axis is None else axis, p.dim())
    if b > axis:
        raise ValueError(f"tf.gather: batch_dims ({b}) must be <= axis ({axis}).")
    if b == 0:
        flat = torch.index_select(p, axis, idx.reshape(-1))
        return flat.reshape(p.shape[:axis] + idx.shape + p.shape[axis + 1 :])
    if p.shape[:b] != idx.shape[:b]:
        raise ValueError(
            f"tf.gather: the first batch_dims={b} axes of params {tuple(p.shape)} and indices "
            f"{tuple(idx.shape)} must match."
        )
    batch = p.shape[:b]
    pre = p.shape[b:axis]
    post = p.shape[axis + 1 :]
    rest = idx.shape[b:]
    nb = int(np.prod(batch))
    pf = torch.movedim(p.reshape((nb,) + p.shape[b:]), axis - b + 1, 1)  # (B, N, *pre, *post)
    idf = idx.reshape((nb,) + rest)
    rows = torch.arange(nb, device=p.device).reshape((nb,) + (1,) * len(rest))
    out = pf[rows, idf]  # (B, *rest, *pre, *post)
    r, q = len(rest), len(pre)
    perm = [0] + list(range(1 + r, 1 + r + q)) + list(range(1, 1 + r)) + list(range(1 + r + q, out.dim()))
    return out.permute(perm).reshape(batch + pre + rest + post)


@op
def gather_nd(params, indices, batch_dims=0, name=None):
    """Take slices of `params` addressed by the last axis of `indices`.

    `indices[..., :]` holds coordinates into the first `indices.shape[-1]`
    axes of `params` (after `batch_dims` batch axes).
    """
    p = to_tensor(params)
    idx = _index_tensor(indices, p.device)
    b = int(batch_dims)
    k = idx.shape[-1]
    if k > p.dim() - b:
        raise ValueError(
            f"tf.gather_nd: indices.shape[-1]={k} exceeds the rank of params {tuple(p.shape)} minus batch_dims={b}."
        )
    if b == 0:
        return p[tuple(idx[..., i] for i in range(k))]
    batch = p.shape[:b]
    if idx.shape[:b] != batch:
        raise ValueError(f"tf.gather_nd: batch axes of params {tuple(p.shape)} and indices {tuple(idx.shape)} differ.")
    nb = int(np.prod(batch))
    pf = p.reshape((nb,) + p.shape[b:])
    idf = idx.reshape((nb,) + idx.shape[b:])
    rows = torch.arange(nb, device=p.device).reshape((nb,) + (1,) * (idf.dim() - 2))
    out = pf[(rows,) + tuple(idf[..., i] for i in range(k))]
    return out.reshape(batch + out.shape[1:])


@op
def where(condition, x=None, y=None, name=None):
    """With one argument, the int64 coordinates of the true entries, shape `(num_true, rank)`;
    with three, `x` where `condition` is true and `y` elsewhere (all broadcast).
    """
    cond = to_tensor(condition)
    if x is None and y is None:
        return torch.nonzero(cond)
    if x is None or y is None:
        raise ValueError("tf.where needs both `x` and `y`, or neither.")
    if cond.dtype != torch.bool:
        cond = cond.to(torch.bool)
    x, y = pair(x, y)
    return torch.where(cond, x, y)


@op
def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries of `tensor` where `mask` is true; `mask` covers axes `axis..axis+mask.ndim`.

    Example:

    >>> import capas as tf
    >>> tf.boolean_mask(tf.constant([1, 2, 3]), [True, False, True]).tolist()
    [1, 3]
    """
    x = to_tensor(tensor)
    m = to_tensor(mask)
    if m.device != x.device:
        m = m.to(x.device)
    axis = 0 if axis is None else axis_int(axis, x.dim())
    k = m.dim()
    if x.shape[axis : axis + k] != m.shape:
        raise ValueError(
            f"tf.boolean_mask: mask shape {tuple(m.shape)} does not match the tensor's axes "
            f"{axis}..{axis + k - 1} of shape {tuple(x.shape)}."
        )
    flat = x.reshape(x.shape[:axis] + (-1,) + x.shape[axis + k :])
    return torch.index_select(flat, axis, torch.nonzero(m.reshape(-1).to(torch.bool)).reshape(-1))


@op
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors of length `depth` for integer `indices` (out-of-range rows are all off).

    Args:
        indices: integer tensor.
        depth: the number of classes.
        on_value, off_value: the values to write (default 1 and 0).
        axis: where the new axis goes (default -1).
        dtype: the output dtype (default: from `on_value`, else float32).
    """
    idx = _index_tensor(indices, None)
    if dtype is None:
        given = next((v for v in (on_value, off_value) if v is not None), None)
        dtype = to_tensor(given).dtype if given is not None else torch.float32
    dtype = as_torch_dtype(dtype)
    on = torch.as_tensor(1 if on_value is None else on_value, dtype=dtype, device=idx.device)
    off = torch.as_tensor(0 if off_value is None else off_value, dtype=dtype, device=idx.device)
    hot = idx.unsqueeze(-1) == torch.arange(int(depth), device=idx.device)
    out = torch.where(hot, on, off)
    if axis is not None and axis != -1:
        out = torch.movedim(out, -1, axis_int(axis, out.dim()))
    return out


def _mirror_index(n, before, after, mode, device):
    pos = torch.arange(-before, n + after, device=device)
    if mode == "REFLECT":
        pos = pos.abs()
        pos = torch.where(pos >= n, 2 * (n - 1) - pos, pos)
    else:  # SYMMETRIC
        pos = torch.where(pos < 0, -pos - 1, pos)
        pos = torch.where(pos >= n, 2 * n - 1 - pos, pos)
    return pos


@op
def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pad `tensor` with `paddings[i] = [before, after]` entries on each axis i.

    Args:
        tensor: the tensor to pad.
        paddings: an integer array of shape `(rank, 2)`.
        mode: 'CONSTANT' (fill with `constant_values`), 'REFLECT' (mirror
            without the edge) or 'SYMMETRIC' (mirror with the edge); any case.

    Example:

    >>> import capas as tf
    >>> tf.pad(tf.constant([1, 2, 3]), [[2, 2]], mode="REFLECT").tolist()
    [3, 2, 1, 2, 3, 2, 1]
    """
    x = to_tensor(tensor)
    if isinstance(paddings, torch.Tensor):
        paddings = paddings.tolist()
    paddings = [[int(a), int(b)] for a, b in np.asarray(paddings).reshape(-1, 2).tolist()]
    if len(paddings) != x.dim():
        raise ValueError(f"tf.pad: paddings must have shape ({x.dim()}, 2) for a tensor of shape {tuple(x.shape)}.")
    mode = str(mode).upper()
    if mode == "CONSTANT":
        flat = [v for pair_ in reversed(paddings) for v in pair_]
        value = constant_values.item() if isinstance(constant_values, torch.Tensor) else constant_values
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"tf.pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC'; received {mode!r}.")
    limit = 0 if mode == "REFLECT" else 1
    for d, (before, after) in enumerate(paddings):
        if not before and not after:
            continue
        n = x.shape[d]
        if max(before, after) > n - 1 + limit:
            raise ValueError(
                f"tf.pad: {mode} padding of ({before}, {after}) on axis {d} of length {n} is too large; "
                f"it must be at most {n - 1 + limit}."
            )
        x = torch.index_select(x, d, _mirror_index(n, before, after, mode, x.device))
    return x


def _scatter_flat_index(indices, shape):
    """Row-major offsets of the coordinates in `indices[..., :k]` into the first k axes of `shape`."""
    k = indices.shape[-1]
    strides = []
    step = 1
    for d in reversed(shape[:k]):
        strides.append(step)
        step *= d
    strides = torch.tensor(strides[::-1], dtype=torch.int64, device=indices.device)
    return (indices.reshape(-1, k) * strides).sum(-1), step


def _scatter(base, indices, updates, accumulate):
    shape = tuple(base.shape)
    idx = _index_tensor(indices, base.device)
    k = idx.shape[-1]
    flat_idx, rows = _scatter_flat_index(idx, shape)
    updates = to_tensor(updates).to(device=base.device, dtype=base.dtype)
    flat_updates = updates.reshape((-1,) + shape[k:])
    flat = base.reshape((rows,) + shape[k:])
    if accumulate:
        return flat.index_add(0, flat_idx, flat_updates).reshape(shape)
    return flat.index_copy(0, flat_idx, flat_updates).reshape(shape)


@op
def scatter_nd(indices, updates, shape, name=None):
    """A zero tensor of `shape` with `updates` added at `indices` (duplicates are summed).

    Example:

    >>> import capas as tf
    >>> tf.scatter_nd([[1], [3]], [9, 10], [5]).tolist()
    [0, 9, 0, 10, 0]
    """
    updates = to_tensor(updates)
    base = torch.zeros(shape_tuple(shape), dtype=updates.dtype, device=updates.device)
    return _scatter(base, indices, updates, accumulate=True)


@op
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of `tensor` with the entries at `indices` replaced by `updates`."""
    return _scatter(to_tensor(tensor), indices, updates, accumulate=False)


@op
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` added at `indices` (duplicates are summed)."""
    return _scatter(to_tensor(tensor), indices, updates, accumulate=True)


@op
def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
):
    """`input_[begin:end:strides]` per axis, with TF's bit masks (what Python slicing builds).

    Bit `i` of `begin_mask`/`end_mask` ignores `begin[i]`/`end[i]` (the full range),
    `ellipsis_mask` puts `...` at `i`, `new_axis_mask` a new axis of size 1, and
    `shrink_axis_mask` takes the single index `begin[i]`, dropping the axis.

    Example:

    >>> import capas as tf
    >>> tf.strided_slice(tf.range(8), begin=[1], end=[7], strides=[2]).tolist()
    [1, 3, 5]
    >>> tf.strided_slice(tf.reshape(tf.range(6), (2, 3)), [0, 2], [2, 0], [1, -1], begin_mask=1).tolist()
    [[2, 1], [5, 4]]
    """
    x = to_tensor(input_)
    begin = shape_tuple(begin)
    end = shape_tuple(end)
    strides = (1,) * len(begin) if strides is None else shape_tuple(strides)
    if not len(begin) == len(end) == len(strides):
        raise ValueError(
            f"tf.strided_slice: begin, end and strides must have the same length; received "
            f"{len(begin)}, {len(end)} and {len(strides)}."
        )
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            index.append(Ellipsis)
        elif new_axis_mask & bit:
            index.append(None)
        elif shrink_axis_mask & bit:
            index.append(b)
        else:
            if s == 0:
                raise ValueError("tf.strided_slice: strides must be non-zero.")
            index.append(builtins.slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    return x[tuple(index)]
