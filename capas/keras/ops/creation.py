"""keras.ops' creation ops: zeros, ones, full, arange, linspace, eye, triangles."""

import builtins

import numpy as np
import torch

from capas.keras.ops._dispatch import floatx as _floatx
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.ops._convert import as_torch_dtype


def _dtype(dtype):
    return as_torch_dtype(dtype)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


@keras_op
def zeros(shape, dtype=None):
    """A tensor of zeros (floatx by default)."""
    return torch.zeros(_shape(shape), dtype=_dtype(dtype) or _floatx())


@keras_op
def ones(shape, dtype=None):
    """A tensor of ones (floatx by default)."""
    return torch.ones(_shape(shape), dtype=_dtype(dtype) or _floatx())


@keras_op
def empty(shape, dtype=None):
    """An uninitialized tensor (floatx by default)."""
    return torch.empty(_shape(shape), dtype=_dtype(dtype) or _floatx())


@keras_op
def full(shape, fill_value, dtype=None):
    """A tensor filled with `fill_value`."""
    value = _t(fill_value)
    return torch.zeros(_shape(shape), dtype=_dtype(dtype) or value.dtype) + value.to(_dtype(dtype) or value.dtype)


@keras_op
def zeros_like(x, dtype=None):
    """Zeros with the shape (and dtype) of `x`."""
    return torch.zeros_like(_t(x), dtype=_dtype(dtype))


@keras_op
def ones_like(x, dtype=None):
    """Ones with the shape (and dtype) of `x`."""
    return torch.ones_like(_t(x), dtype=_dtype(dtype))


@keras_op
def full_like(x, fill_value, dtype=None):
    """`fill_value` with the shape (and dtype) of `x`."""
    return torch.full_like(_t(x), fill_value, dtype=_dtype(dtype))


@keras_op
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`.

    Example:

    >>> from capas import keras
    >>> keras.ops.arange(1, 7, 2).tolist()
    [1, 3, 5]
    """
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if dtype is None:
        is_float = builtins.any(
            isinstance(v, float) or (hasattr(v, "dtype") and np.dtype(str(v.dtype).replace("torch.", "")).kind == "f")
            for v in (start, stop, step)
        )
        dtype = _floatx() if is_float else torch.int32
    return torch.arange(start, stop, step, dtype=_dtype(dtype))


@keras_op
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`."""
    dtype = _dtype(dtype) or _floatx()
    divisor = (num - 1) if endpoint else num
    step = (stop - start) / divisor if divisor > 0 else float("nan")
    if endpoint:
        values = torch.linspace(float(start), float(stop), num, dtype=torch.float64)
    else:
        values = torch.linspace(float(start), float(stop), num + 1, dtype=torch.float64)[:num]
    values = values.to(dtype)
    return (values, step) if retstep else values


@keras_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)`."""
    exponents = linspace(start, stop, num=num, endpoint=endpoint, dtype="float64")
    return torch.pow(torch.tensor(float(base), dtype=torch.float64), exponents).to(_dtype(dtype) or _floatx())


@keras_op
def eye(N, M=None, k=0, dtype=None):
    """A 2D tensor with ones on the `k`-th diagonal."""
    M = N if M is None else M
    return torch.ones(int(N), int(M)).triu(k).tril(k).to(_dtype(dtype) or _floatx())


@keras_op
def identity(n, dtype=None):
    """The `n x n` identity matrix."""
    return torch.eye(int(n), dtype=_dtype(dtype) or _floatx())


@keras_op
def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the `k`-th diagonal."""
    M = N if M is None else M
    return torch.ones(int(N), int(M)).tril(k).to(_dtype(dtype) or _floatx())


@keras_op
def tril(x, k=0):
    """The lower triangle of `x` (zeros above the `k`-th diagonal)."""
    return torch.tril(_t(x), k)


@keras_op
def triu(x, k=0):
    """The upper triangle of `x` (zeros below the `k`-th diagonal)."""
    return torch.triu(_t(x), k)


@keras_op
def array(x, dtype=None):
    """A tensor from `x`."""
    return _t(x, dtype=dtype)


@keras_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers from `start` to `stop` evenly spaced on a log scale (the sign of `start` kept).

    Example:

    >>> from capas import keras
    >>> [round(v, 4) for v in keras.ops.geomspace(1.0, 1000.0, 4).tolist()]
    [1.0, 10.0, 100.0, 1000.0]
    """
    if axis != 0:
        raise ValueError(f"geomspace: only axis=0 is supported (as on Keras's torch backend). Received axis={axis}")
    if dtype is None:
        kinds = [_t(v).dtype for v in (start, stop)]
        dtype = torch.float64 if torch.float64 in kinds else _floatx()
    dtype = _dtype(dtype)
    start, stop = _t(start).to(dtype), _t(stop).to(dtype)
    out = logspace(torch.log10(torch.abs(start)), torch.log10(torch.abs(stop)), num=num, endpoint=endpoint, dtype=dtype)
    return out * torch.sign(start)
