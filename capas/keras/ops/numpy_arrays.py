"""keras.ops' numpy-like array ops: shapes, joining and splitting, indexing, sorting, products."""

import builtins

import numpy as np
import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import pair as _pair
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f
from capas.ops._convert import as_torch_dtype


def _ints(values):
    return tuple(int(v) for v in values)


# -- shapes --------------------------------------------------------------------------------
@keras_op
def reshape(x, newshape):
    """`x` with shape `newshape` (one dimension may be -1).

    Example:

    >>> from capas import keras
    >>> tuple(keras.ops.reshape(keras.ops.arange(6), (2, -1)).shape)
    (2, 3)
    """
    return torch.reshape(_t(x), (int(newshape),) if isinstance(newshape, int) else _ints(newshape))


@keras_op
def ravel(x):
    """`x` flattened to 1D."""
    return torch.reshape(_t(x), (-1,))


@keras_op
def expand_dims(x, axis):
    """`x` with new size-1 axes at `axis` (an int or a tuple)."""
    x = _t(x)
    for a in sorted(a % (x.dim() + len(axis)) for a in axis) if isinstance(axis, (list, tuple)) else [axis]:
        x = torch.unsqueeze(x, a)
    return x


@keras_op
def squeeze(x, axis=None):
    """`x` without its size-1 axes (or only those in `axis`)."""
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=tuple(axis) if isinstance(axis, (list, tuple)) else axis)


@keras_op
def transpose(x, axes=None):
    """`x` with its axes permuted (reversed when `axes` is None)."""
    x = _t(x)
    return x.permute(*(reversed(range(x.dim())) if axes is None else _ints(axes)))


@keras_op
def swapaxes(x, axis1, axis2):
    """`x` with `axis1` and `axis2` exchanged."""
    return torch.swapaxes(_t(x), axis1, axis2)


@keras_op
def moveaxis(x, source, destination):
    """`x` with the axes `source` moved to `destination`."""
    return torch.movedim(_t(x), source, destination)


@keras_op
def broadcast_to(x, shape):
    """`x` broadcast to `shape`."""
    return torch.broadcast_to(_t(x), _ints(shape))


@keras_op
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis."""
    return torch.tile(_t(x), (int(repeats),) if isinstance(repeats, int) else _ints(repeats))


@keras_op
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated `repeats` times (along `axis`; of the flattened `x` when None)."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    repeats = repeats if isinstance(repeats, int) else _t(repeats).to(torch.int64)
    return torch.repeat_interleave(x, repeats, dim=axis)


@keras_op
def flip(x, axis=None):
    """`x` reversed along `axis` (all axes when None)."""
    x = _t(x)
    dims = tuple(range(x.dim())) if axis is None else (tuple(axis) if isinstance(axis, (list, tuple)) else (axis,))
    return torch.flip(x, dims)


@keras_op
def roll(x, shift, axis=None):
    """`x` rolled by `shift` along `axis` (flattened when None)."""
    x = _t(x)
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=axis)


@keras_op
def rot90(array, k=1, axes=(0, 1)):
    """`array` rotated by 90 degrees `k` times in the plane of `axes`."""
    return torch.rot90(_t(array), k, _ints(axes))


# -- joining and splitting -----------------------------------------------------------------
def _common(xs):
    tensors = [_t(x) for x in xs]
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return [t.to(dtype) for t in tensors]


@keras_op
def concatenate(xs, axis=0):
    """The tensors `xs` joined along `axis`."""
    tensors = _common(xs)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in tensors])
    return torch.cat(tensors, dim=axis)


@keras_op
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when None)."""
    return concatenate([x1, x2], axis=axis)


@keras_op
def stack(x, axis=0):
    """The tensors `x` stacked along a new `axis`."""
    return torch.stack(_common(x), dim=axis)


@keras_op
def hstack(xs):
    """The tensors joined along axis 1 (axis 0 for 1D tensors)."""
    return torch.hstack(_common(xs))


@keras_op
def vstack(xs):
    """The tensors joined along axis 0 (1D tensors become rows)."""
    return torch.vstack(_common(xs))


@keras_op
def split(x, indices_or_sections, axis=0):
    """`x` split into equal sections, or at the given indices, along `axis` (numpy's rule)."""
    x = _t(x)
    if isinstance(indices_or_sections, int):
        size = x.shape[axis]
        if size % indices_or_sections:
            raise ValueError(
                f"keras.ops.split: axis {axis} of size {size} does not divide into "
                f"{indices_or_sections} equal sections; pass split indices instead."
            )
        return list(torch.split(x, size // indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, _ints(indices_or_sections), dim=axis))


@keras_op
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1D tensors."""
    return list(torch.meshgrid(*[_t(v) for v in x], indexing=indexing))


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded by `pad_width` (`((before, after), ...)` per axis), numpy-style."""
    x = _t(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.dim(), 2))
    flat = [int(v) for pair in widths[::-1] for v in pair]
    if mode == "constant":
        return torch.nn.functional.pad(x, flat, value=0 if constant_values is None else constant_values)
    if constant_values is not None:
        raise ValueError(f"keras.ops.pad: constant_values is only used with mode='constant', not mode={mode!r}.")
    torch_mode = {"reflect": "reflect", "symmetric": None, "edge": "replicate", "wrap": "circular"}.get(mode)
    if torch_mode is None:
        raise ValueError(
            f"keras.ops.pad: mode={mode!r} is not supported by capas; use 'constant', 'reflect', 'edge' or 'wrap'."
        )
    batched = x.reshape((1, 1) + tuple(x.shape)) if x.dim() <= 3 else x
    out = torch.nn.functional.pad(batched.float() if not x.is_floating_point() else batched, flat, mode=torch_mode)
    return out.reshape(out.shape[2:] if x.dim() <= 3 else out.shape).to(x.dtype)


# -- indexing --------------------------------------------------------------------------------
@keras_op
def take(x, indices, axis=None):
    """The entries of `x` at `indices` along `axis` (of the flattened `x` when None)."""
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.reshape(-1), 0
    size = x.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(tuple(x.shape[: axis % x.dim()]) + tuple(indices.shape) + tuple(x.shape[axis % x.dim() + 1 :]))


@keras_op
def take_along_axis(x, indices, axis=None):
    """`x` gathered with `indices` of the same rank along `axis`."""
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.reshape(-1), 0
    shape = list(
        torch.broadcast_shapes(
            tuple(s if i != axis % x.dim() else 1 for i, s in enumerate(x.shape)),
            tuple(s if i != axis % x.dim() else 1 for i, s in enumerate(indices.shape)),
        )
    )
    x_shape, i_shape = list(shape), list(shape)
    x_shape[axis], i_shape[axis] = x.shape[axis], indices.shape[axis]
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    return torch.gather(x.expand(x_shape), axis, indices.expand(i_shape))


@keras_op
def nonzero(x):
    """The indices of the non-zero entries, one int32 tensor per axis."""
    return tuple(t.to(torch.int32) for t in torch.nonzero(_t(x), as_tuple=True))


@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of `x` in the plane `(axis1, axis2)`."""
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


@keras_op
def diag(x, k=0):
    """A diagonal matrix from a 1D `x`, or the `k`-th diagonal of a 2D `x`."""
    return torch.diag(_t(x), k)


@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of the diagonal of `x`."""
    x = _t(x)
    out = torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2).sum(-1)
    return out.to(torch.int32) if out.dtype == torch.int64 and x.dtype != torch.int64 else out


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each entry of `x1` is in `x2`."""
    return torch.isin(_t(x1), _t(x2), assume_unique=assume_unique, invert=invert)


@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    """Where `values` would be inserted into the 1D `sorted_sequence`, int32."""
    return torch.searchsorted(_t(sorted_sequence), _t(values), right=side == "right").to(torch.int32)


@keras_op
def digitize(x, bins):
    """The index of the bin of each entry of `x`, int32."""
    return torch.bucketize(_t(x), _t(bins), right=True).to(torch.int32)


@keras_op
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each value of the non-negative integer tensor `x`."""
    x = _t(x)
    w = None if weights is None else _t(weights)
    if x.dim() == 2:
        return torch.stack(
            [torch.bincount(r, weights=None if w is None else w[k], minlength=minlength) for k, r in enumerate(x)]
        ).to(torch.int32 if w is None else w.dtype)
    out = torch.bincount(x, weights=w, minlength=minlength)
    return out.to(torch.int32) if w is None else out.to(w.dtype)


@keras_op
def unravel_index(indices, shape):
    """Flat indices -> a tuple of coordinate tensors for `shape`."""
    return tuple(t.to(torch.int32) for t in torch.unravel_index(_t(indices), _ints(shape)))


# -- sorting ---------------------------------------------------------------------------------
@keras_op
def sort(x, axis=-1):
    """`x` sorted along `axis`."""
    return torch.sort(_t(x), dim=axis).values


@keras_op
def argsort(x, axis=-1):
    """The indices that sort `x` along `axis` (stable), int32."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@keras_op
def argpartition(x, kth, axis=-1):
    """Indices that put the `kth` smallest entry in place along `axis` (smaller ones before it), int32."""
    return torch.argsort(_t(x), dim=axis, stable=True).to(torch.int32)


@keras_op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along `axis`."""
    return torch.diff(_t(a), n=n, dim=axis)


# -- products --------------------------------------------------------------------------------
@keras_op
def matmul(x1, x2):
    """The matrix product of `x1` and `x2` (batched, numpy rules)."""
    a, b = _common([x1, x2])
    if a.dtype in (torch.int32, torch.int8, torch.int16, torch.uint8, torch.bool):
        return torch.matmul(a.to(torch.int64), b.to(torch.int64)).to(torch.int32)
    return torch.matmul(a, b)


@keras_op
def dot(x1, x2):
    """numpy's `dot`: sum product over the last axis of `x1` and the second-to-last of `x2`."""
    a, b = _common([x1, x2])
    if a.dim() == 0 or b.dim() == 0:
        return a * b
    if b.dim() == 1 or a.dim() == 1:
        return torch.matmul(a, b)
    return torch.tensordot(a, b, dims=([a.dim() - 1], [b.dim() - 2]))


@keras_op
def tensordot(x1, x2, axes=2):
    """Sum products over the given axes of `x1` and `x2`."""
    a, b = _common([x1, x2])
    return torch.tensordot(
        a, b, dims=axes if isinstance(axes, int) else [list(_as_list(axes[0])), list(_as_list(axes[1]))]
    )


def _as_list(v):
    return v if isinstance(v, (list, tuple)) else [v]


@keras_op
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands`."""
    return torch.einsum(subscripts, *_common(operands))


@keras_op
def outer(x1, x2):
    """The outer product of the flattened `x1` and `x2`."""
    a, b = _common([x1, x2])
    return torch.outer(a.reshape(-1), b.reshape(-1))


@keras_op
def inner(x1, x2):
    """The inner product over the last axes."""
    a, b = _common([x1, x2])
    return torch.inner(a, b)


@keras_op
def vdot(x1, x2):
    """The dot product of the flattened `x1` (conjugated) and `x2`."""
    a, b = _common([x1, x2])
    return torch.vdot(a.reshape(-1), b.reshape(-1))


@keras_op
def kron(x1, x2):
    """The Kronecker product."""
    a, b = _common([x1, x2])
    return torch.kron(a, b)


@keras_op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors."""
    a, b = _common([x1, x2])
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
    return torch.movedim(torch.linalg.cross(*torch.broadcast_tensors(a, b), dim=-1), -1, axisc)


@keras_op
def histogram(x, bins=10, range=None):
    """Counts of `x` in `bins` equal bins over `range` -> (counts, bin edges)."""
    x = _f(x)
    lo, hi = (float(x.min()), float(x.max())) if range is None else builtins.map(float, range)
    counts, edges = torch.histogram(x.reshape(-1).cpu().to(torch.float32), bins=bins, range=(lo, hi))
    return counts.to(torch.int32), edges.to(x.dtype)


@keras_op
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all entries of `x1` and `x2` are equal within tolerances."""
    a, b = _pair(x1, x2)
    return torch.tensor(torch.allclose(a, b.to(a.dtype), rtol=rtol, atol=atol, equal_nan=equal_nan))


@keras_op
def fliplr(x):
    """`x` reversed along axis 1."""
    return torch.flip(_t(x), (1,))


@keras_op
def flipud(x):
    """`x` reversed along axis 0."""
    return torch.flip(_t(x), (0,))


@keras_op
def dstack(xs):
    """The tensors joined along axis 2 (as `np.dstack`)."""
    return torch.dstack(_common(xs))


@keras_op
def array_split(x, indices_or_sections, axis=0):
    """`x` split into `indices_or_sections` parts (the first ones one longer when uneven)."""
    return list(torch.tensor_split(_t(x), indices_or_sections, dim=axis))


@keras_op
def hsplit(x, indices_or_sections):
    """`split` along axis 1 (axis 0 for 1D tensors)."""
    x = _t(x)
    return split(x, indices_or_sections, axis=1 if x.dim() > 1 else 0)


@keras_op
def vsplit(x, indices_or_sections):
    """`split` along axis 0."""
    return split(x, indices_or_sections, axis=0)


@keras_op
def dsplit(x, indices_or_sections):
    """`split` along axis 2."""
    return split(x, indices_or_sections, axis=2)


@keras_op
def diagflat(x, k=0):
    """A 2D tensor with the flattened `x` on the `k`-th diagonal."""
    return torch.diagflat(_t(x), k)


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule."""
    y = _f(y)
    if x is not None:
        return torch.trapezoid(y, _f(x), dim=axis)
    return torch.trapezoid(y, dx=dx, dim=axis)


@keras_op
def select(condlist, choicelist, default=0):
    """The first choice whose condition holds, per entry (else `default`)."""
    out = torch.as_tensor(default)
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(_t(condition).to(torch.bool), _t(choice), out)
    return out


@keras_op
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1D `x`."""
    return torch.linalg.vander(_t(x), N=N).flip(-1) if not increasing else torch.linalg.vander(_t(x), N=N)


@keras_op
def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x`."""
    return torch.corrcoef(_f(x))


# -- sets and reinterpretation -------------------------------------------------------------
@keras_op
def unique(
    x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None, fill_value=None
):
    """The distinct values of `x` (flattened, or slices along `axis`), as `numpy.unique`.

    With `return_index`, `return_inverse`, `return_counts` it also returns the
    first index of each value, the index of each element's value, and the
    counts, in that order, as int32 (TF's `unique_with_counts`). `size` truncates or pads the
    result (values with `fill_value`, default 0; counts with 0; indices with 1).

    Example:

    >>> from capas import keras
    >>> import numpy as np
    >>> values, counts = keras.ops.unique(np.array([3, 1, 3, 2]), return_counts=True)
    >>> values.tolist(), counts.tolist()
    ([1, 2, 3], [1, 1, 2])
    """
    x = _t(x)
    want_inverse = return_inverse or return_index
    result = torch.unique(x, sorted=sorted, return_inverse=want_inverse, return_counts=return_counts, dim=axis)
    result = list(result) if isinstance(result, tuple) else [result]
    values = result[0]
    inverse = result[1] if want_inverse else None
    counts = result[-1] if return_counts else None
    dim = 0 if axis is None else axis % x.dim()
    first = None
    if return_index:
        positions = torch.arange(inverse.numel(), dtype=inverse.dtype, device=inverse.device)
        first = torch.full((values.shape[dim],), positions.numel(), dtype=inverse.dtype, device=inverse.device)
        first = first.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
    if size is not None:
        found = values.shape[dim]
        if found > size:
            values = values.narrow(dim, 0, size)
            counts = None if counts is None else counts[:size]
            first = None if first is None else first[:size]
        elif found < size:
            extra = size - found
            pad_shape = list(values.shape)
            pad_shape[dim] = extra
            filler = torch.full(
                pad_shape, 0 if fill_value is None else fill_value, dtype=values.dtype, device=values.device
            )
            values = torch.cat([values, filler], dim=dim)
            if counts is not None:
                counts = torch.cat([counts, counts.new_zeros(extra)])
            if first is not None:
                first = torch.cat([first, first.new_ones(extra)])
    # Indices and counts are int32, as TF gives them (Keras's torch backend: int64).
    first = None if first is None else first.to(torch.int32)
    inverse = None if inverse is None else inverse.to(torch.int32)
    counts = None if counts is None else counts.to(torch.int32)
    out = [values]
    if return_index:
        out.append(first)
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


@keras_op
def view(x, dtype=None):
    """The bytes of `x` reinterpreted as `dtype` (the last axis scales by the size ratio), no copy.

    Example:

    >>> from capas import keras
    >>> import numpy as np
    >>> keras.ops.view(np.array([1.0], "float32"), "int32").tolist()
    [1065353216]
    """
    return _t(x).view(as_torch_dtype(dtype))
