"""keras.ops' core ops: conversion, casting, shapes, control flow and scatter/slice updates."""

import builtins

import numpy as np
import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.ops._convert import as_torch_dtype
from capas.ops._convert import convert_to_tensor as _convert
from capas._nest import flatten, map_structure


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A `torch.Tensor` from `x` (arrays keep their dtype; Python floats become float32).

    Example:

    >>> from capas import keras
    >>> keras.ops.convert_to_tensor([1.0, 2.0]).dtype
    torch.float32
    """
    return _convert(x, dtype=dtype)


def convert_to_numpy(x):
    """A numpy array from a tensor (or anything array-like)."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def is_tensor(x):
    """Whether `x` is a tensor of the backend (a `torch.Tensor`)."""
    return isinstance(x, torch.Tensor)


def shape(x):
    """The shape of `x` as a tuple of ints (None for unknown symbolic dimensions)."""
    return tuple(x.shape) if getattr(type(x), "_is_keras_tensor", False) else tuple(int(d) for d in _t(x).shape)


def dtype(x):
    """The dtype name of `x` ("float32", "int32", ...)."""
    return (
        str(_t(x).dtype).replace("torch.", "")
        if not getattr(type(x), "_is_keras_tensor", False)
        else str(x.dtype).replace("torch.", "")
    )


@keras_op
def cast(x, dtype):
    """`x` converted to `dtype`."""
    return _t(x).to(as_torch_dtype(dtype))


@keras_op
def saturate_cast(x, dtype):
    """`x` converted to `dtype`, clipped to its range first."""
    x = _t(x)
    target = as_torch_dtype(dtype)
    info = torch.finfo(target) if target.is_floating_point else torch.iinfo(target)
    return torch.clamp(x, info.min, info.max).to(target)


def stop_gradient(variable):
    """`variable` as a constant: no gradient flows through it."""
    return _t(variable).detach()


def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`."""
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clipped to the valid range."""
    index = int(np.clip(int(index), 0, len(branches) - 1))
    return branches[index](*operands)


def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`."""
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` (at most `maximum_iterations` times)."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    values = tuple(loop_vars) if is_tuple else (loop_vars,)
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        result = body(*values)
        values = tuple(result) if is_tuple else (result,)
        count += 1
    return values if is_tuple else values[0]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """`carry, y = f(carry, x)` over the rows of `xs` -> `(final carry, stacked ys)`."""
    n = length if xs is None else int(flatten(xs)[0].shape[0])
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, []
    for i in order:
        x = None if xs is None else map_structure(lambda t, i=i: t[i], xs)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or ys[0] is None:
        return carry, None
    return carry, _stack(ys)


def _stack(items):
    first = items[0]
    if isinstance(first, (list, tuple)):
        return type(first)(_stack([item[k] for item in items]) for k in range(len(first)))
    if isinstance(first, dict):
        return {k: _stack([item[k] for item in items]) for k in first}
    return torch.stack([_t(item) for item in items])


def map(f, xs):
    """`f` applied to each row of `xs`, stacked."""
    n = int(flatten(xs)[0].shape[0])
    return _stack([f(map_structure(lambda t, i=i: t[i], xs)) for i in range(n)])


def vectorized_map(function, elements):
    """`function` applied to each row of `elements` (a Python loop; torch.vmap is not used)."""
    return map(function, elements)


@keras_op
def slice(inputs, start_indices, shape):
    """The block of `inputs` of `shape` starting at `start_indices`."""
    inputs = _t(inputs)
    index = tuple(builtins.slice(int(s), int(s) + int(n)) for s, n in zip(start_indices, shape))
    return inputs[index]


@keras_op
def slice_update(inputs, start_indices, updates):
    """`inputs` with the block at `start_indices` replaced by `updates` (a new tensor)."""
    inputs, updates = _t(inputs), _t(updates)
    out = inputs.clone()
    index = tuple(builtins.slice(int(s), int(s) + int(n)) for s, n in zip(start_indices, updates.shape))
    out[index] = updates.to(out.dtype)
    return out


@keras_op
def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (the last axis of `indices` indexes `shape`)."""
    indices, values = _t(indices).to(torch.int64), _t(values)
    out = torch.zeros(tuple(int(d) for d in shape), dtype=values.dtype)
    out.index_put_(
        tuple(indices.reshape(-1, indices.shape[-1]).T),
        values.reshape((-1,) + out.shape[indices.shape[-1] :]),
        accumulate=True,
    )
    return out


@keras_op
def scatter_update(inputs, indices, updates, reduction=None):
    """`inputs` with `updates` written at `indices` (`reduction`: None, "add", "max", "min", "mul")."""
    inputs, indices, updates = _t(inputs), _t(indices).to(torch.int64), _t(updates)
    out = inputs.clone()
    where = tuple(indices.reshape(-1, indices.shape[-1]).T)
    updates = updates.reshape((-1,) + tuple(out.shape[indices.shape[-1] :])).to(out.dtype)
    if reduction is None:
        out[where] = updates
    elif reduction == "add":
        out.index_put_(where, updates, accumulate=True)
    elif reduction in ("max", "min", "mul"):
        current = out[where]
        combined = {"max": torch.maximum, "min": torch.minimum, "mul": torch.multiply}[reduction](current, updates)
        out[where] = combined
    else:
        raise ValueError(
            f"keras.ops.scatter_update: reduction must be None, 'add', 'max', 'min' or 'mul'; received {reduction!r}."
        )
    return out


@keras_op
def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a list."""
    return list(torch.unbind(_t(x), dim=axis))


def ndim(x):
    """The rank of `x`."""
    return len(shape(x))


def size(x):
    """The number of entries of `x`."""
    return int(np.prod(shape(x)))


@keras_op
def get_item(x, key):
    """`x[key]`."""
    return _t(x)[key]
