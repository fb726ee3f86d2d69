"""Small helpers shared by the metric families: input checks, rank matching, safe division."""

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype, convert_to_tensor

EPSILON = 1e-7  # keras.config.epsilon()


def to_tensor(metric, value, dtype=None, what="input"):
    """`value` as a tensor (cast to `dtype` when given), or a TypeError naming `metric`."""
    if isinstance(value, torch.Tensor):
        dtype = as_torch_dtype(dtype)
        if dtype is not None and value.dtype != dtype:
            value = value.to(dtype)
        return value
    if (
        value is None
        or isinstance(value, (str, bytes))
        or (isinstance(value, np.ndarray) and value.dtype.kind in "USO")
    ):
        raise TypeError(
            f"{type(metric).__name__} metric '{metric.name}' expected a numeric tensor for "
            f"`{what}`, received {value!r} of type {type(value).__name__}. Pass a tensor, "
            "a numpy array or a (nested) list of numbers."
        )
    try:
        return convert_to_tensor(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{type(metric).__name__} metric '{metric.name}' could not convert `{what}` "
            f"(type {type(value).__name__}) to a tensor: {error}"
        ) from error


def reject_strings(metric, **inputs):
    """Raise a TypeError naming `metric` for any input that is text."""
    for what, value in inputs.items():
        if isinstance(value, (str, bytes)) or (isinstance(value, np.ndarray) and value.dtype.kind in "USO"):
            to_tensor(metric, value, what=what)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks agree when they differ by one trailing dimension of size 1 (Keras's rule)."""
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def divide_no_nan(x, y):
    """`x / y`, and 0 where `y == 0`."""
    return torch.where(y == 0, torch.zeros((), dtype=x.dtype, device=x.device), x / y)


def check_broadcastable(metric, shape_a, shape_b, names=("y_true", "y_pred")):
    """Raise a ValueError naming `metric` when the two shapes do not broadcast."""
    try:
        torch.broadcast_shapes(tuple(shape_a), tuple(shape_b))
    except RuntimeError:
        raise ValueError(
            f"{type(metric).__name__} metric '{metric.name}' received incompatible shapes: "
            f"{names[0]}.shape={tuple(shape_a)} and {names[1]}.shape={tuple(shape_b)}. "
            "They must be equal or broadcastable (e.g. the same batch size)."
        ) from None


def keras_mask(x):
    """The Keras mask carried by a tensor (`x._keras_mask`), or None."""
    return getattr(x, "_keras_mask", None)


def mask_to_weights(sample_weight, mask, dtype):
    """Fold a boolean mask into `sample_weight` as Keras's "sum" reduction does."""
    if mask is None:
        return sample_weight
    mask = mask.to(dtype)
    if sample_weight is None:
        return mask
    sample_weight = sample_weight.to(dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask
