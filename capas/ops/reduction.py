"""Reductions, arg-reductions, sorting and scans (TF's `reduce_*`, `argmax`, `sort`, `cumsum`).

`axis` is None (all axes), an int, or a list/tuple of ints; negative axes
count from the end; an empty list reduces nothing. `keepdims` keeps the
reduced axes with length 1. Integer inputs keep their dtype (TF's rule).
"""

import collections

import torch

from capas.ops._convert import as_torch_dtype
from capas.ops._recording import op
from capas.ops._utils import axes as _axes
from capas.ops._utils import axis_int, to_tensor


_INT_DTYPES = frozenset(
    {torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.uint16, torch.uint32, torch.uint64}
)


def _is_int(x):
    return x.dtype in _INT_DTYPES


def _prepare(input_tensor, axis):
    """The input as a tensor and `axis` as torch's `dim`: an int, a tuple, or all axes."""
    x = input_tensor if isinstance(input_tensor, torch.Tensor) else to_tensor(input_tensor)
    if axis is None:
        return x, tuple(range(x.dim()))
    if isinstance(axis, int):
        return x, axis
    return x, _axes(axis, x.dim())


def _nothing(axis, dims):
    # TF: an explicit empty axis list reduces nothing (torch would reduce everything).
    return dims == () and axis is not None


@op
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """The sum of elements across `axis`.

    The other `reduce_*` functions take the same arguments.

    Args:
        input_tensor: a tensor (or array, number, list).
        axis: None (all axes), an int, or a list/tuple of ints; negative axes
            count from the end; an empty list reduces nothing.
        keepdims: keep the reduced axes with length 1.

    Returns:
        The reduced tensor; integer inputs keep their dtype (TF's rule).

    Example:

    >>> import capas as tf
    >>> tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0).tolist()
    [4, 6]
    """
    x, dims = _prepare(input_tensor, axis)
    dtype = x.dtype if x.dtype in _INT_DTYPES else None
    if axis is None and not keepdims:
        return torch.sum(x, dtype=dtype)
    if _nothing(axis, dims):
        return x
    return torch.sum(x, dim=dims, keepdim=keepdims, dtype=dtype)


@op
def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """The mean of elements across `axis` (integer inputs give a truncated integer mean)."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x
    if axis is None and not keepdims and x.is_floating_point():
        return torch.mean(x)
    if _is_int(x):
        count = 1
        for d in (dims,) if isinstance(dims, int) else dims:
            count *= x.shape[d]
        total = torch.sum(x, dim=dims, keepdim=keepdims, dtype=x.dtype)
        return torch.div(total, max(count, 1), rounding_mode="trunc")
    return torch.mean(x, dim=dims, keepdim=keepdims)


@op
def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """The maximum of elements across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x
    return torch.amax(x, dim=dims, keepdim=keepdims) if x.dim() else x


@op
def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """The minimum of elements across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x
    return torch.amin(x, dim=dims, keepdim=keepdims) if x.dim() else x


@op
def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """The product of elements across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    dtype = x.dtype if _is_int(x) else None
    if isinstance(dims, int):
        return torch.prod(x, dim=dims, keepdim=keepdims, dtype=dtype)
    for d in sorted({d % max(x.dim(), 1) for d in dims}, reverse=True):
        x = torch.prod(x, dim=d, keepdim=keepdims, dtype=dtype)
    return x


@op
def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical OR across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x.to(torch.bool)
    return torch.any(x, dim=dims, keepdim=keepdims) if x.dim() else x.to(torch.bool)


@op
def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical AND across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x.to(torch.bool)
    return torch.all(x, dim=dims, keepdim=keepdims) if x.dim() else x.to(torch.bool)


@op
def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """`log(sum(exp(x)))` across `axis`, computed stably."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return x
    return torch.logsumexp(x, dim=dims, keepdim=keepdims) if x.dim() else x


@op
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The population variance (divisor N) across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return torch.zeros_like(x)
    return torch.var(x, dim=dims, correction=0, keepdim=keepdims)


@op
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The population standard deviation (divisor N) across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return torch.zeros_like(x)
    return torch.std(x, dim=dims, correction=0, keepdim=keepdims)


@op
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """`sqrt(sum(x ** 2))` across `axis`."""
    x, dims = _prepare(input_tensor, axis)
    if _nothing(axis, dims):
        return torch.abs(x)
    return torch.sqrt(torch.sum(x * x, dim=dims, keepdim=keepdims))


@op
def count_nonzero(input, axis=None, keepdims=None, dtype="int64", name=None):  # noqa: A002
    """The number of non-zero elements across `axis`."""
    x, dims = _prepare(input, axis)
    if _nothing(axis, dims):
        return (x != 0).to(as_torch_dtype(dtype))
    return torch.sum(x != 0, dim=dims, keepdim=bool(keepdims), dtype=as_torch_dtype(dtype))


# -- arg-reductions and sorting -----------------------------------------------


@op
def argmax(input, axis=None, output_type="int64", name=None):  # noqa: A002
    """The index of the largest value along `axis` (default 0); ties give the first index."""
    x = to_tensor(input)
    if x.dtype == torch.bool:  # TF takes bool input (True > False); torch's kernel does not
        x = x.to(torch.uint8)
    out = torch.argmax(x, dim=axis_int(0 if axis is None else axis, x.dim()))
    dtype = as_torch_dtype(output_type)
    return out if dtype == torch.int64 else out.to(dtype)


@op
def argmin(input, axis=None, output_type="int64", name=None):  # noqa: A002
    """The index of the smallest value along `axis` (default 0); ties give the first index."""
    x = to_tensor(input)
    if x.dtype == torch.bool:  # TF takes bool input (True > False); torch's kernel does not
        x = x.to(torch.uint8)
    out = torch.argmin(x, dim=axis_int(0 if axis is None else axis, x.dim()))
    dtype = as_torch_dtype(output_type)
    return out if dtype == torch.int64 else out.to(dtype)


def _descending(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"`direction` must be 'ASCENDING' or 'DESCENDING'; received {direction!r}.")
    return direction == "DESCENDING"


@op
def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis`."""
    x = to_tensor(values)
    return torch.sort(x, dim=axis_int(axis, x.dim()), descending=_descending(direction), stable=True).values


@op
def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis` (equal values keep their order)."""
    x = to_tensor(values)
    idx = torch.sort(x, dim=axis_int(axis, x.dim()), descending=_descending(direction), stable=True).indices
    return idx.to(torch.int32)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


@op
def top_k(input, k=1, sorted=True, index_type="int32", name=None):  # noqa: A002
    """The `k` largest entries of the last axis and their indices.

    Equal values come lowest index first, as in TensorFlow.

    Returns:
        A `(values, indices)` named tuple; `indices` are `index_type` (int32).
    """
    x = to_tensor(input)
    k = int(k)
    if not 0 <= k <= (x.shape[-1] if x.dim() else 0):
        raise ValueError(f"tf.math.top_k: k={k} must be between 0 and the last dimension ({x.shape[-1]}).")
    ordered = torch.sort(x, dim=-1, descending=True, stable=True)
    values = ordered.values[..., :k]
    indices = ordered.indices[..., :k].to(as_torch_dtype(index_type))
    return TopKV2(values, indices)


def _scan(torch_fn, fill, x, axis, exclusive, reverse):
    x = to_tensor(x)
    axis = axis_int(axis, x.dim())
    if reverse:
        x = torch.flip(x, (axis,))
    dtype = x.dtype if _is_int(x) else None
    out = torch_fn(x, dim=axis, dtype=dtype)
    if exclusive:
        n = out.shape[axis]
        head = torch.full_like(out.narrow(axis, 0, min(n, 1)), fill)
        out = torch.cat([head, out.narrow(axis, 0, max(n - 1, 0))], dim=axis)
    if reverse:
        out = torch.flip(out, (axis,))
    return out


@op
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """The running sum along `axis`.

    Args:
        x: a tensor.
        axis: the axis to scan (default 0).
        exclusive: when True, element i is the sum of the elements before i.
        reverse: when True, scan from the end.

    Example:

    >>> import capas as tf
    >>> tf.cumsum([1, 2, 3], exclusive=True).tolist()
    [0, 1, 3]
    """
    return _scan(torch.cumsum, 0, x, axis, exclusive, reverse)


@op
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """The running product along `axis` (`exclusive` and `reverse` as in `cumsum`)."""
    return _scan(torch.cumprod, 1, x, axis, exclusive, reverse)
