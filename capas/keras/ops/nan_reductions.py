"""keras.ops' NaN-ignoring reductions (`nansum`, `nanmean`, ...): NaN entries are left out."""

import torch

from capas.keras.ops._dispatch import axes as _axes
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f


def _all_dims(x, axis):
    return tuple(range(x.dim())) if axis is None else _axes(axis)


@keras_op
def nansum(x, axis=None, keepdims=False):
    """Sum over `axis`, NaN counted as zero.

    Example:

    >>> import math
    >>> from capas import keras
    >>> float(keras.ops.nansum([1.0, math.nan, 2.0]))
    3.0
    """
    x = _t(x)
    if not x.is_floating_point():
        return torch.sum(x, dim=_all_dims(x, axis), keepdim=keepdims)
    return torch.nansum(x, dim=_all_dims(x, axis), keepdim=keepdims)


@keras_op
def nanmean(x, axis=None, keepdims=False):
    """Mean over `axis` of the entries that are not NaN."""
    return torch.nanmean(_f(x), dim=_all_dims(_t(x), axis), keepdim=keepdims)


def _nan_extreme(x, axis, keepdims, largest):
    x = _f(x)
    fill = -torch.inf if largest else torch.inf
    filled = torch.where(torch.isnan(x), torch.tensor(fill, dtype=x.dtype), x)
    dims = _all_dims(x, axis)
    out = torch.amax(filled, dim=dims, keepdim=keepdims) if largest else torch.amin(filled, dim=dims, keepdim=keepdims)
    all_nan = torch.isnan(x).all(dim=dims, keepdim=keepdims)
    return torch.where(all_nan, torch.tensor(torch.nan, dtype=x.dtype), out)


@keras_op
def nanmax(x, axis=None, keepdims=False):
    """Maximum over `axis`, ignoring NaN (NaN where all entries are NaN)."""
    return _nan_extreme(x, axis, keepdims, largest=True)


@keras_op
def nanmin(x, axis=None, keepdims=False):
    """Minimum over `axis`, ignoring NaN."""
    return _nan_extreme(x, axis, keepdims, largest=False)


@keras_op
def nanprod(x, axis=None, keepdims=False):
    """Product over `axis`, NaN counted as one."""
    x = _f(x)
    filled = torch.where(torch.isnan(x), torch.ones_like(x), x)
    if axis is None:
        out = torch.prod(filled)
        return out.reshape((1,) * x.dim()) if keepdims else out
    for a in sorted((a % x.dim() for a in (axis if isinstance(axis, (list, tuple)) else [axis])), reverse=True):
        filled = torch.prod(filled, dim=a, keepdim=keepdims)
    return filled


@keras_op
def nanvar(x, axis=None, keepdims=False):
    """Variance over `axis` of the entries that are not NaN."""
    x = _f(x)
    dims = _all_dims(x, axis)
    mean = torch.nanmean(x, dim=dims, keepdim=True)
    return torch.nanmean((x - mean) ** 2, dim=dims, keepdim=keepdims)


@keras_op
def nanstd(x, axis=None, keepdims=False):
    """Standard deviation over `axis` of the entries that are not NaN."""
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


@keras_op
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis`, NaN counted as zero."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    filled = torch.nan_to_num(x, nan=0.0) if x.is_floating_point() else x
    return torch.cumsum(filled, dim=axis)


@keras_op
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`, NaN counted as one."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    filled = torch.where(torch.isnan(x), torch.ones_like(x), x) if x.is_floating_point() else x
    return torch.cumprod(filled, dim=axis)


@keras_op
def nanmedian(x, axis=None, keepdims=False):
    """Median over `axis` of the entries that are not NaN."""
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles over `axis`, ignoring NaN."""
    x = _f(x)
    return torch.nanquantile(x, _t(q).to(x.dtype), dim=axis, keepdim=keepdims, interpolation=method)


@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles over `axis`, ignoring NaN."""
    return nanquantile(x, _f(q) / 100.0, axis=axis, method=method, keepdims=keepdims)


@keras_op
def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis`, ignoring NaN, int32."""
    x = _f(x)
    filled = torch.where(torch.isnan(x), torch.tensor(-torch.inf, dtype=x.dtype), x)
    return torch.argmax(filled, dim=axis, keepdim=keepdims).to(torch.int32)


@keras_op
def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis`, ignoring NaN, int32."""
    x = _f(x)
    filled = torch.where(torch.isnan(x), torch.tensor(torch.inf, dtype=x.dtype), x)
    return torch.argmin(filled, dim=axis, keepdim=keepdims).to(torch.int32)
