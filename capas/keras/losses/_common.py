"""Helpers shared by the loss functions: conversion, rank matching, shape checks."""

import torch

from capas.keras.losses.loss import LossInputError
from capas.keras.losses.loss import squeeze_or_expand_to_same_rank
from capas.ops._convert import convert_to_tensor

# Keras's `backend.epsilon()`: where probabilities are clipped and divisions guarded.
EPSILON = 1e-7


def as_tensor(value, fn_name, which, dtype=None, device=None):
    """Convert one loss input, refusing strings with a TypeError that names the loss."""
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{fn_name}: `{which}` must be a tensor, array or number. Received a {type(value).__name__}: {value!r}."
        )
    try:
        return convert_to_tensor(value, dtype=dtype, device=device)
    except TypeError as err:
        raise TypeError(f"{fn_name}: cannot use `{which}`: {err}") from err


def convert_pair(fn_name, y_true, y_pred):
    """`y_pred` as a tensor, `y_true` cast to its dtype and moved to its device."""
    y_pred = as_tensor(y_pred, fn_name, "y_pred")
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = as_tensor(y_true, fn_name, "y_true", dtype=y_pred.dtype, device=y_pred.device)
    return y_true, y_pred


def same_shape_pair(fn_name, y_true, y_pred, broadcast=False):
    """Convert, match `(batch,)` with `(batch, 1)`, then check the shapes.

    With `broadcast=True` (the element-wise regression losses), inputs of equal
    rank whose shapes broadcast pass through unchanged, as in Keras: a
    `(batch, 1, 1)` y_true against a `(batch, 6, 1)` y_pred compares every step
    with the one label (the time-series tutorial relies on it). Otherwise, and
    for shapes that do not broadcast, the shapes must be equal.

    Differs from Keras: where Keras would broadcast `y_true - y_pred` of
    different ranks (e.g. `(b,)` labels against `(b, b)` predictions) into a
    `(b, b)` result that is almost always a mistake, this raises.
    """
    y_true, y_pred = convert_pair(fn_name, y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        if broadcast and y_true.dim() == y_pred.dim() and _broadcasts(y_true.shape, y_pred.shape):
            return y_true, y_pred
        raise shape_error(fn_name, y_true, y_pred)
    return y_true, y_pred


def _broadcasts(shape_a, shape_b):
    return all(a == b or a == 1 or b == 1 for a, b in zip(shape_a, shape_b))


def shape_error(fn_name, y_true, y_pred, hint=""):
    return LossInputError(
        f"{fn_name} expects y_true and y_pred of the same shape (a (batch,) y_true also "
        f"matches a (batch, 1) y_pred; the element-wise regression losses also accept shapes "
        f"of equal rank that broadcast). Received: y_true.shape={tuple(y_true.shape)}, "
        f"y_pred.shape={tuple(y_pred.shape)}.{hint}"
    )


def check_axis(fn_name, axis, ndim):
    """Reject booleans and out-of-range axes with a message naming the loss."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise LossInputError(
            f"{fn_name}: `axis` must be an int. Received: axis={axis!r} of type {type(axis).__name__}."
        )
    if not -ndim <= axis < ndim:
        raise LossInputError(f"{fn_name}: axis={axis} is out of range for y_pred of rank {ndim}.")
    return axis % ndim
