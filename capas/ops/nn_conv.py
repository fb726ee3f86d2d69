"""Convolution and pooling in TensorFlow's layout (`tf.nn.conv2d`, `tf.nn.max_pool2d`, ...).

TensorFlow puts channels last (`'NHWC'`) and stores filters as
`[*kernel, in_channels, out_channels]`; torch wants channels first and
`[out, in, *kernel]`. These functions convert at the boundary and implement
TF's `'SAME'` padding exactly (the odd extra pixel goes at the end).
"""

import numbers

import torch
import torch.nn.functional as F

from capas import _kernels
from capas.ops._recording import op
from capas.ops._utils import to_tensor

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _spatial(value, n, what, channels_last):
    """TF's int / length-n / length-(n+2) spatial argument -> a tuple of n ints."""
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    value = [int(v) for v in value]
    if len(value) == 1:
        return tuple(value) * n
    if len(value) == n:
        return tuple(value)
    if len(value) == n + 2:
        return tuple(value[1:-1] if channels_last else value[2:])
    raise ValueError(f"`{what}` must be an int or a list of {n} or {n + 2} ints; received {value}.")


def _channels_last(data_format, n):
    if data_format is None:
        return True
    data_format = str(data_format).upper()
    if data_format in ("NWC", "NHWC", "NDHWC", "CHANNELS_LAST"):
        return True
    if data_format in ("NCW", "NCHW", "NCDHW", "CHANNELS_FIRST"):
        return False
    raise ValueError(f"Unknown data_format {data_format!r}; use 'N...C' (channels last) or 'NC...' (channels first).")


def _pads(padding, sizes, kernel, strides, dilations, channels_last):
    """Per-axis (before, after) padding for TF's 'VALID', 'SAME' or explicit paddings."""
    n = len(sizes)
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == "VALID":
            return [(0, 0)] * n
        if mode != "SAME":
            raise ValueError(f"padding must be 'VALID', 'SAME' or explicit pairs; received {padding!r}.")
        pads = []
        for size, k, s, d in zip(sizes, kernel, strides, dilations):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            pads.append((total // 2, total - total // 2))
        return pads
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) == n + 2:
        pairs = pairs[1:-1] if channels_last else pairs[2:]
    if len(pairs) != n:
        raise ValueError(f"explicit padding needs {n} or {n + 2} (before, after) pairs; received {padding}.")
    return pairs


def _to_torch_padding(pads):
    return [v for before, after in reversed(pads) for v in (before, after)]


@op
def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None):  # noqa: A002
    """N-d convolution with TF's layouts (`tf.nn.convolution`).

    Args:
        input: `[batch, *spatial, in_channels]` (or channels first with `data_format='NC...'`).
        filters: `[*kernel, in_channels / groups, out_channels]`.
        strides, dilations: an int or one value per spatial axis.
        padding: 'VALID', 'SAME' or explicit `[[before, after], ...]` pairs.
        data_format: 'NWC'/'NHWC'/'NDHWC' (default) or 'NCW'/'NCHW'/'NCDHW'.

    Returns:
        `[batch, *out_spatial, out_channels]` (channels first for 'NC...').
    """
    x = to_tensor(input)
    w = to_tensor(filters)
    n = x.dim() - 2
    if n not in _CONV or w.dim() != n + 2:
        raise ValueError(
            f"tf.nn.convolution: expected input of rank 3-5 and filters of the same rank; received input "
            f"{tuple(x.shape)} and filters {tuple(w.shape)}."
        )
    last = _channels_last(data_format, n)
    strides = _spatial(1 if strides is None else strides, n, "strides", last)
    dilations = _spatial(1 if dilations is None else dilations, n, "dilations", last)
    if last:
        x = torch.movedim(x, -1, 1)
    in_channels = x.shape[1]
    if in_channels % w.shape[-2]:
        raise ValueError(
            f"tf.nn.convolution: input has {in_channels} channels, which is not a multiple of the filters' "
            f"in_channels {w.shape[-2]} (filters shape {tuple(w.shape)})."
        )
    weight = w.permute(n + 1, n, *range(n))  # [out, in/groups, *kernel]
    pads = _pads(padding, x.shape[2:], w.shape[:n], strides, dilations, last)
    if any(p for pair in pads for p in pair):
        x = F.pad(x, _to_torch_padding(pads))
    out = _CONV[n](x, weight, stride=strides, dilation=dilations, groups=in_channels // w.shape[-2])
    return torch.movedim(out, 1, -1) if last else out


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):  # noqa: A002
    """1-d convolution: input `[batch, width, in]`, filters `[k, in, out]`."""
    return convolution(input, filters, stride, padding, data_format, dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    """2-d convolution: input `[batch, h, w, in]`, filters `[kh, kw, in, out]`.

    Example:

    >>> import capas as tf
    >>> tf.nn.conv2d(tf.ones((1, 5, 5, 3)), tf.ones((3, 3, 3, 8)), strides=2, padding="SAME").shape
    torch.Size([1, 3, 3, 8])
    """
    return convolution(input, filters, strides, padding, data_format, dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):  # noqa: A002
    """3-d convolution: input `[batch, d, h, w, in]`, filters `[kd, kh, kw, in, out]`."""
    return convolution(input, filters, strides, padding, data_format, dilations)


def _pool(kind, input, ksize, strides, padding, data_format):  # noqa: A002
    x = to_tensor(input)
    n = x.dim() - 2
    if n not in _AVG_POOL:
        raise ValueError(f"tf.nn.{kind}_pool: expected an input of rank 3-5; received shape {tuple(x.shape)}.")
    last = _channels_last(data_format, n)
    ksize = _spatial(ksize, n, "ksize", last)
    strides = _spatial(strides, n, "strides", last)
    if last:
        x = torch.movedim(x, -1, 1)
    pads = _to_torch_padding(_pads(padding, x.shape[2:], ksize, strides, (1,) * n, last))
    padded = any(pads)
    if kind == "max":
        if padded:
            x = F.pad(x, pads, value=float("-inf"))
        out = _kernels.max_pool(x, ksize, strides)
    elif not padded:
        out = _AVG_POOL[n](x, ksize, strides)
    else:
        # TF's SAME average ignores the padding: divide by the number of real entries in each window.
        total = _AVG_POOL[n](F.pad(x, pads), ksize, strides)
        ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
        count = _AVG_POOL[n](F.pad(ones, pads), ksize, strides)
        out = total / count
    return torch.movedim(out, 1, -1) if last else out


@op
def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Max pooling over 1-3 spatial axes (the rank of `input` decides)."""
    return _pool("max", input, ksize, strides, padding, data_format)


@op
def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Average pooling over 1-3 spatial axes; 'SAME' padding is not counted in the average (TF's rule)."""
    return _pool("avg", input, ksize, strides, padding, data_format)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Max pooling of `[batch, width, channels]`."""
    return max_pool(input, ksize, strides, padding, data_format)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Max pooling of `[batch, height, width, channels]`."""
    return max_pool(input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Average pooling of `[batch, width, channels]`."""
    return avg_pool(input, ksize, strides, padding, data_format)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Average pooling of `[batch, height, width, channels]`."""
    return avg_pool(input, ksize, strides, padding, data_format)
