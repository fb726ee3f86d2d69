"""Tensor creation and shape manipulation (TF's `array_ops`, first half).

Creation ops follow TensorFlow's dtype rules: Python floats give float32,
Python ints give int32, and a dtype may be a string, a torch dtype or a TF
enum value (`tf.ones(1, 1)` is a float32 tensor of shape `(1,)`).
"""

import builtins
import functools
import numbers

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops._recording import op
from capas.ops._utils import axis_int, shape_tuple, to_tensor
from capas.ops.strings import StringTensor, as_string_tensor, is_string_value, string

newaxis = None


def _dtype(dtype, default=torch.float32):
    return default if dtype is None else as_torch_dtype(dtype)


# -- creation ----------------------------------------------------------------


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor from a tensor, array, Python number or nested list.

    Args:
        value: the value; Python floats give float32, Python ints int32.
        dtype: optional dtype to cast to.
        shape: optional shape; a scalar value is broadcast to it, otherwise
            the value is reshaped to it.

    Returns:
        A tensor that records no gradient.

    Example:

    >>> import capas as tf
    >>> tf.constant(1.5, shape=(2,)).tolist()
    [1.5, 1.5]
    """
    if dtype is string or is_string_value(value):  # tf.string (capas/ops/strings.py)
        tensor = as_string_tensor(value, dtype)
        return tensor if shape is None else StringTensor(np.resize(np.asarray(tensor), shape_tuple(shape)))
    tensor = convert_to_tensor(value, dtype=dtype)
    if tensor.requires_grad:
        tensor = tensor.detach()
    if isinstance(value, torch.Tensor) and type(value) is not torch.Tensor:
        tensor = tensor.detach().clone()  # a Variable: take its current value
    if shape is not None:
        shape = shape_tuple(shape)
        if tensor.numel() == 1:
            tensor = tensor.reshape(()).expand(shape).clone()
        elif tensor.numel() == int(np.prod(shape)):
            tensor = tensor.reshape(shape)
        else:
            raise TypeError(
                f"tf.constant: cannot give a value of shape {tuple(tensor.shape)} ({tensor.numel()} elements) "
                f"the shape {shape}. Pass a scalar, or a value with {int(np.prod(shape))} elements."
            )
    return tensor


def zeros(shape, dtype="float32", name=None, layout=None):
    """A tensor of `shape` filled with 0 (default dtype float32)."""
    return torch.zeros(shape_tuple(shape), dtype=_dtype(dtype))


def ones(shape, dtype="float32", name=None, layout=None):
    """A tensor of `shape` filled with 1 (default dtype float32).

    Example:

    >>> import capas as tf
    >>> tf.ones(1, 1)  # shape (1,), dtype enum 1 = float32
    tensor([1.])
    """
    return torch.ones(shape_tuple(shape), dtype=_dtype(dtype))


@op
def fill(dims, value, name=None, layout=None):
    """A tensor of shape `dims` filled with the scalar `value` (dtype from `value`)."""
    return to_tensor(value).expand(shape_tuple(dims)).clone()


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    """Zeros with the shape (and, unless `dtype` is given, the dtype) of `input`."""
    x = to_tensor(input)
    return torch.zeros_like(x, dtype=None if dtype is None else as_torch_dtype(dtype), requires_grad=False)


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    """Ones with the shape (and, unless `dtype` is given, the dtype) of `input`."""
    x = to_tensor(input)
    return torch.ones_like(x, dtype=None if dtype is None else as_torch_dtype(dtype), requires_grad=False)


def eye(num_rows, num_columns=None, batch_shape=None, dtype="float32", name=None):
    """An identity matrix (or a batch of them, with `batch_shape`)."""
    num_columns = num_rows if num_columns is None else num_columns
    out = torch.eye(int(num_rows), int(num_columns), dtype=_dtype(dtype))
    if batch_shape is not None:
        batch = shape_tuple(batch_shape)
        out = out.expand(batch + tuple(out.shape)).clone()
    return out


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """`[start, start + delta, ...]` up to but excluding `limit` (`tf.range(5)` is 0..4).

    The dtype is int32 for integer arguments and float32 when any is a float.
    """
    if limit is None:
        start, limit = 0, start
    values = [v.item() if isinstance(v, torch.Tensor) else v for v in (start, limit, delta)]
    if dtype is None:
        args = [v for v in (start, limit, delta) if isinstance(v, torch.Tensor)]
        if args:
            dtype = functools.reduce(torch.promote_types, [a.dtype for a in args])
            if any(isinstance(v, float) for v in values) and not dtype.is_floating_point:
                dtype = torch.float32
        else:
            dtype = torch.float32 if any(isinstance(v, float) for v in values) else torch.int32
    return torch.arange(*values, dtype=as_torch_dtype(dtype))


@op
def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` inclusive (float32 for Python floats, float64 for ints)."""
    start = to_tensor(start)
    if not (start.is_floating_point() or start.is_complex()):
        start = start.to(torch.float64)  # TF: integer bounds give float64 values
    stop = to_tensor(stop, dtype=start.dtype) if not isinstance(stop, torch.Tensor) else stop
    if stop.dtype != start.dtype and not (stop.is_floating_point() or stop.is_complex()):
        stop = stop.to(start.dtype)
    num = int(num)
    if start.dim() == 0 and stop.dim() == 0:
        return torch.linspace(start.item(), stop.item(), num, dtype=start.dtype, device=start.device)
    start, stop = torch.broadcast_tensors(start, stop)
    steps = torch.arange(num, dtype=start.dtype, device=start.device)
    frac = steps / max(num - 1, 1)
    out = start.unsqueeze(-1) + (stop - start).unsqueeze(-1) * frac
    if num > 1:
        out[..., -1] = stop
    return torch.movedim(out, -1, axis_int(axis, out.dim()))


# -- shape and identity ------------------------------------------------------


def shape(input, out_type="int32", name=None):  # noqa: A002
    """The shape of `input` as a 1-D int32 tensor (`tensor.shape` gives it statically)."""
    return torch.tensor(tuple(to_tensor(input).shape), dtype=as_torch_dtype(out_type))


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input`, as a 0-d int32 tensor."""
    return torch.tensor(to_tensor(input).dim(), dtype=torch.int32)


def size(input, out_type="int32", name=None):  # noqa: A002
    """The number of elements of `input`, as a 0-d int32 tensor."""
    return torch.tensor(to_tensor(input).numel(), dtype=as_torch_dtype(out_type))


@op
def identity(input, name=None):  # noqa: A002
    """A tensor with the value of `input` (a variable's current value is copied)."""
    x = to_tensor(input)
    return x.clone() if type(x) is not torch.Tensor else x


def stop_gradient(input, name=None):  # noqa: A002
    """`input` with gradient flow cut: it is treated as a constant by the tape."""
    return to_tensor(input).detach()


# -- reshaping ----------------------------------------------------------------


@op
def reshape(tensor, shape, name=None):
    """`tensor` with a new shape; one dimension may be -1 (inferred)."""
    x = to_tensor(tensor)
    shape = shape_tuple(shape)
    try:
        return torch.reshape(x, shape)
    except RuntimeError as exc:
        raise ValueError(
            f"tf.reshape: cannot reshape a tensor of shape {tuple(x.shape)} ({x.numel()} elements) "
            f"to shape {shape}. The number of elements must stay the same."
        ) from exc


@op
def expand_dims(input, axis, name=None):  # noqa: A002
    """`input` with a new axis of length 1 inserted at `axis` (-1 appends)."""
    x = to_tensor(input)
    return torch.unsqueeze(x, axis_int(axis, x.dim() + 1))


@op
def squeeze(input, axis=None, name=None):  # noqa: A002
    """`input` without its length-1 axes (or only those listed in `axis`)."""
    x = to_tensor(input)
    if axis is None:
        return torch.squeeze(x)
    dims = [axis_int(a, x.dim()) for a in ([axis] if isinstance(axis, numbers.Integral) else axis)]
    for d in dims:
        if x.shape[d] != 1:
            raise ValueError(
                f"tf.squeeze: cannot squeeze axis {d} of length {x.shape[d]} (shape {tuple(x.shape)}); "
                "only axes of length 1 can be removed."
            )
    return torch.squeeze(x, tuple(dims))


@op
def transpose(a, perm=None, conjugate=False, name=None):
    """`a` with its axes permuted by `perm` (default: reversed)."""
    x = to_tensor(a)
    if perm is None:
        perm = tuple(reversed(builtins.range(x.dim())))
    elif isinstance(perm, torch.Tensor):
        perm = perm.tolist()
    out = torch.permute(x, tuple(int(p) for p in perm))
    return out.conj() if conjugate else out


@op
def broadcast_to(input, shape, name=None):  # noqa: A002
    """`input` broadcast to `shape`."""
    return torch.broadcast_to(to_tensor(input), shape_tuple(shape))


@op
def concat(values, axis, name=None):
    """Join a list of tensors along an existing `axis`."""
    tensors = _tensor_list(values, "concat")
    axis = axis_int(axis, tensors[0].dim())
    try:
        return torch.cat(tensors, dim=axis)
    except RuntimeError as exc:
        raise ValueError(
            f"tf.concat: all tensors must have one dtype and the same shape except along axis {axis}; "
            f"received shapes {[tuple(t.shape) for t in tensors]} and dtypes {sorted({str(t.dtype) for t in tensors})}."
        ) from exc


@op
def stack(values, axis=0, name="stack"):
    """Join a list of tensors of one shape along a new `axis`."""
    tensors = _tensor_list(values, "stack")
    try:
        return torch.stack(tensors, dim=axis_int(axis, tensors[0].dim() + 1))
    except RuntimeError as exc:
        raise ValueError(
            f"tf.stack: all tensors must have the same shape and dtype; received shapes "
            f"{[tuple(t.shape) for t in tensors]} and dtypes {sorted({str(t.dtype) for t in tensors})}."
        ) from exc


def _tensor_list(values, what):
    if isinstance(values, torch.Tensor) or not isinstance(values, (list, tuple)) or not values:
        raise ValueError(f"tf.{what} expects a non-empty list of tensors; received {type(values).__name__}.")
    return [to_tensor(v) for v in values]


@op
def unstack(value, num=None, axis=0, name="unstack"):
    """Split `value` along `axis` into a list of tensors of one rank less."""
    x = to_tensor(value)
    axis = axis_int(axis, x.dim())
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"tf.unstack: num={num} does not match the length {x.shape[axis]} of axis {axis}.")
    return list(torch.unbind(x, dim=axis))


@op
def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Split `value` along `axis` into equal parts (an int) or parts of given sizes (a list).

    One size may be -1: it takes what is left.

    Example:

    >>> import capas as tf
    >>> [t.shape[1] for t in tf.split(tf.zeros((2, 5)), [2, -1], axis=1)]
    [2, 3]
    """
    x = to_tensor(value)
    axis = axis_int(axis, x.dim())
    length = x.shape[axis]
    if isinstance(num_or_size_splits, torch.Tensor):
        num_or_size_splits = num_or_size_splits.tolist()
    if isinstance(num_or_size_splits, numbers.Integral):
        parts = int(num_or_size_splits)
        if parts <= 0 or length % parts:
            raise ValueError(
                f"tf.split: axis {axis} of length {length} cannot be split into {parts} equal parts. "
                "Pass a list of sizes instead."
            )
        return list(torch.split(x, length // parts, dim=axis))
    sizes = [int(s) for s in num_or_size_splits]
    if sizes.count(-1) > 1:
        raise ValueError(f"tf.split: at most one size may be -1; received {sizes}.")
    if -1 in sizes:
        sizes[sizes.index(-1)] = length - (sum(sizes) + 1)
    if sum(sizes) != length or any(s < 0 for s in sizes):
        raise ValueError(f"tf.split: sizes {sizes} do not add up to the length {length} of axis {axis}.")
    return list(torch.split(x, sizes, dim=axis))


@op
def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[i]` times along each axis i."""
    x = to_tensor(input)
    multiples = shape_tuple(multiples)
    if len(multiples) != x.dim():
        raise ValueError(
            f"tf.tile: multiples {multiples} must have one entry per axis of the input (shape {tuple(x.shape)})."
        )
    return x.repeat(multiples)


@op
def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Repeat each element of `input` `repeats` times (along `axis`, or flattened)."""
    x = to_tensor(input)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = to_tensor(repeats).to(torch.int64)
    return torch.repeat_interleave(x, repeats, dim=None if axis is None else axis_int(axis, x.dim()))


@op
def reverse(tensor, axis, name=None):
    """`tensor` with the entries of each axis in `axis` reversed."""
    x = to_tensor(tensor)
    axis = [axis] if isinstance(axis, numbers.Integral) else list(axis)
    return torch.flip(x, [axis_int(a, x.dim()) for a in axis])


@op
def roll(input, shift, axis, name=None):  # noqa: A002
    """`input` with elements shifted (circularly) by `shift` along `axis`."""
    x = to_tensor(input)
    shift = [shift] if isinstance(shift, numbers.Integral) else [int(s) for s in shift]
    axis = [axis] if isinstance(axis, numbers.Integral) else list(axis)
    return torch.roll(x, shift, [axis_int(a, x.dim()) for a in axis])


@op
def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    """The block of `input_` starting at `begin` with `size` (-1: to the end)."""
    x = to_tensor(input_)
    begin = shape_tuple(begin)
    size = [int(s) for s in (size.tolist() if isinstance(size, torch.Tensor) else size)]
    for d, (b, s) in enumerate(zip(begin, size)):
        x = x.narrow(d, b, x.shape[d] - b if s == -1 else s)
    return x


@op
def sequence_mask(lengths, maxlen=None, dtype="bool", name=None):
    """`mask[..., j] = j < lengths[...]`, with `maxlen` columns (default: the largest length)."""
    lengths = to_tensor(lengths)
    if maxlen is None:
        maxlen = int(lengths.max().item()) if lengths.numel() else 0  # a host sync, as in TF's eager mode
    mask = torch.arange(int(maxlen), device=lengths.device) < lengths.unsqueeze(-1)
    return mask.to(as_torch_dtype(dtype))


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D tensors (`indexing='xy'` by default, as in TF)."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    return list(torch.meshgrid(*[to_tensor(a) for a in args], indexing=indexing))
