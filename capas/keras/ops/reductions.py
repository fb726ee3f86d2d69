"""keras.ops' reductions: sum, mean, max, var, arg-reductions, cumulative ops, quantiles."""

import torch

from capas.keras.ops._dispatch import axes as _axes
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f
from capas.ops._convert import as_torch_dtype


def _dtype(dtype):
    return as_torch_dtype(dtype)


def _int32(x):
    return x.to(torch.int32)


def _int_sum_dtype(x):
    if x.dtype in (torch.bool, torch.int8, torch.int16, torch.uint8, torch.int32):
        return torch.int32
    return x.dtype


@keras_op
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (all axes when None).

    Example:

    >>> from capas import keras
    >>> keras.ops.sum([[1, 2], [3, 4]], axis=0).tolist()
    [4, 6]
    """
    x = _t(x)
    if axis is None:
        out = torch.sum(x).reshape((1,) * x.dim() if keepdims else ())
    else:
        out = torch.sum(x, dim=_axes(axis), keepdim=keepdims)
    return out.to(_int_sum_dtype(x))


@keras_op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`."""
    x = _t(x)
    out_dtype = _dtype(dtype) or _int_sum_dtype(x)
    if axis is None:
        out = torch.prod(x)
        return out.reshape((1,) * x.dim() if keepdims else ()).to(out_dtype)
    for a in sorted(_as_tuple(axis, x.dim()), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x.to(out_dtype)


def _as_tuple(axis, ndim):
    axis = axis if isinstance(axis, (list, tuple)) else (axis,)
    return tuple(a % ndim for a in axis)


@keras_op
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis` (integers give floatx)."""
    x = _f(x)
    return torch.mean(x, dim=_axes(axis), keepdim=keepdims)


def _extreme(torch_fn, x, axis, keepdims, initial):
    x = _t(x)
    if axis is None:
        out = torch_fn(x).reshape((1,) * x.dim() if keepdims else ())
    else:
        out = (
            torch.amax(x, dim=_axes(axis), keepdim=keepdims)
            if torch_fn is torch.max
            else torch.amin(x, dim=_axes(axis), keepdim=keepdims)
        )
    if initial is not None:
        out = torch.clamp(out, min=initial) if torch_fn is torch.max else torch.clamp(out, max=initial)
    return out


@keras_op
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`."""
    return _extreme(torch.max, x, axis, keepdims, initial)


@keras_op
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`."""
    return _extreme(torch.min, x, axis, keepdims, initial)


amax = max
amin = min


@keras_op
def all(x, axis=None, keepdims=False):
    """Whether all entries are true over `axis`."""
    x = _t(x).to(torch.bool)
    return (
        torch.all(x, dim=_axes(axis), keepdim=keepdims)
        if axis is not None
        else torch.all(x).reshape((1,) * x.dim() if keepdims else ())
    )


@keras_op
def any(x, axis=None, keepdims=False):
    """Whether any entry is true over `axis`."""
    x = _t(x).to(torch.bool)
    return (
        torch.any(x, dim=_axes(axis), keepdim=keepdims)
        if axis is not None
        else torch.any(x).reshape((1,) * x.dim() if keepdims else ())
    )


@keras_op
def var(x, axis=None, keepdims=False):
    """Variance (population, ddof=0) over `axis`."""
    return torch.var(_f(x), dim=_axes(axis), keepdim=keepdims, correction=0)


@keras_op
def std(x, axis=None, keepdims=False):
    """Standard deviation (population) over `axis`."""
    return torch.std(_f(x), dim=_axes(axis), keepdim=keepdims, correction=0)


@keras_op
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis` (of the flattened tensor when None), int32."""
    return _int32(torch.argmax(_t(x), dim=axis, keepdim=keepdims))


@keras_op
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis`, int32."""
    return _int32(torch.argmin(_t(x), dim=axis, keepdim=keepdims))


@keras_op
def count_nonzero(x, axis=None):
    """How many entries are not zero over `axis`, int32."""
    return _int32(torch.count_nonzero(_t(x), dim=_axes(axis)))


@keras_op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (of the flattened tensor when None)."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=axis).to(_dtype(dtype) or _int_sum_dtype(x))


@keras_op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumprod(x, dim=axis).to(_dtype(dtype) or _int_sum_dtype(x))


@keras_op
def average(x, axis=None, weights=None):
    """Weighted mean over `axis`."""
    x = _f(x)
    if weights is None:
        return torch.mean(x, dim=axis)
    w = _f(weights)
    if axis is not None and w.dim() == 1 and x.dim() > 1:
        shape = [1] * x.dim()
        shape[axis] = -1
        w = w.reshape(shape)
    return torch.sum(x * w, dim=axis) / torch.sum(w * torch.ones_like(x), dim=axis)


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (q in [0, 1]) over `axis`."""
    x = _f(x)
    q = _t(q).to(x.dtype)
    if axis is None or isinstance(axis, int):
        return torch.quantile(x, q, dim=axis, keepdim=keepdims, interpolation=method)
    dims = _as_tuple(axis, x.dim())
    rest = [d for d in range(x.dim()) if d not in dims]
    moved = x.permute(rest + list(dims)).reshape([x.shape[d] for d in rest] + [-1])
    out = torch.quantile(moved, q, dim=-1, interpolation=method)
    if keepdims:
        out = out.reshape(
            out.shape[: out.dim() - len(rest)] + tuple(1 if d in dims else x.shape[d] for d in range(x.dim()))
        )
    return out


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (q in [0, 100]) over `axis`."""
    return quantile(x, _f(q) / 100.0, axis=axis, method=method, keepdims=keepdims)


@keras_op
def median(x, axis=None, keepdims=False):
    """The median over `axis` (the mean of the two middle values for even counts)."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


@keras_op
def ptp(x, axis=None, keepdims=False):
    """`max - min` over `axis`."""
    return max(x, axis, keepdims) - min(x, axis, keepdims)


@keras_op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed stably."""
    x = _f(x)
    return torch.logsumexp(x, dim=_axes(axis) if axis is not None else tuple(range(x.dim())), keepdim=keepdims)
