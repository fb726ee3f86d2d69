"""Small helpers shared by the op modules: argument conversion and axis rules."""

import numbers

import torch

from capas.ops._convert import convert_to_tensor


def to_tensor(x, dtype=None):
    """A tensor as is (cast if `dtype` differs); anything else via `convert_to_tensor`."""
    if isinstance(x, torch.Tensor) and dtype is None:
        return x
    return convert_to_tensor(x, dtype=dtype)


def _scalar_tensor(value, ref):
    """A Python number as a 0-d tensor that takes `ref`'s dtype when it fits (TF's rule).

    Built with `torch.full` on `ref`'s device: a fill kernel, no host-to-device copy.
    """
    if isinstance(value, bool):
        dtype = ref.dtype
    elif isinstance(value, numbers.Integral):
        dtype = ref.dtype if ref.dtype != torch.bool else torch.int32
    elif isinstance(value, numbers.Real):
        dtype = ref.dtype if (ref.dtype.is_floating_point or ref.dtype.is_complex) else torch.float32
    else:
        dtype = ref.dtype if ref.dtype.is_complex else torch.complex64
    return torch.full((), value, dtype=dtype, device=ref.device)


def pair(x, y, keep_scalars=False):
    """Two op arguments as tensors; Python numbers adopt the other argument's dtype.

    With `keep_scalars=True` a Python number is passed through unchanged (torch's
    arithmetic takes it directly, without building a tensor).
    """
    x_is = isinstance(x, torch.Tensor)
    y_is = isinstance(y, torch.Tensor)
    if x_is and y_is:
        return x, y
    if not x_is and not y_is:
        x = convert_to_tensor(x)
        x_is = True
    if x_is:
        return x, _other(y, x, keep_scalars)
    return _other(x, y, keep_scalars), y


def _other(value, ref, keep_scalars):
    if isinstance(value, (bool, int, float, complex)) and not hasattr(value, "dtype"):
        return value if keep_scalars else _scalar_tensor(value, ref)
    value = convert_to_tensor(value)
    if value.device != ref.device:
        value = value.to(ref.device)
    return value


def axes(axis, ndim):
    """TF's `axis` (None, int, list, tuple, tensor) -> None (all) or a tuple of ints >= 0."""
    if axis is None:
        return None
    if isinstance(axis, torch.Tensor):
        axis = axis.tolist()
    if isinstance(axis, numbers.Integral):
        axis = (axis,)
    out = []
    for a in axis:
        a = int(a)
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"Invalid axis {a} for a tensor of rank {ndim}; expected -{ndim} <= axis < {ndim}.")
        out.append(a % ndim if ndim else 0)
    return tuple(out)


def axis_int(axis, ndim):
    """One axis (TF's negative axes allowed) -> an int in [0, ndim)."""
    axis = int(axis.item() if isinstance(axis, torch.Tensor) else axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"Invalid axis {axis} for a tensor of rank {ndim}; expected -{ndim} <= axis < {ndim}.")
    return axis % ndim


def shape_tuple(shape):
    """A shape given as an int, list, tuple, tensor, torch.Size or TensorShape -> tuple of ints."""
    if isinstance(shape, torch.Tensor):
        shape = shape.tolist()
    if isinstance(shape, numbers.Integral):
        return (int(shape),)
    dims = getattr(shape, "as_list", None)
    if dims is not None:
        shape = dims()
    out = []
    for d in shape:
        if d is None:
            raise ValueError(f"Cannot create a tensor with an unknown dimension; received shape {shape}.")
        out.append(int(d))
    return tuple(out)
