"""Helpers shared by the normalization layers: axis checks and float32 compute."""

import torch

from capas.ops._convert import as_torch_dtype

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def serialize_or_none(module, obj):
    return None if obj is None else module.serialize(obj)


def canonical_axes(axis, ndim, owner, shape):
    """`axis` (int or sequence) as sorted non-negative ints; a clear error when out of range."""
    axes = [axis] if isinstance(axis, int) else list(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(
                f"{owner}: axis {a} is out of bounds for an input of rank {ndim} (shape {tuple(shape)}). "
                f"Received axis={axis}; use an axis in [-{ndim}, {ndim})."
            )
        out.append(a % ndim)
    return sorted(set(out))


def to_float32(x):
    """Normalization statistics are computed in float32 for float16/bfloat16 inputs, as Keras does."""
    return x.float() if x.dtype in _LOW_PRECISION else x


def cast_like(param, x):
    """A weight in the dtype of the (float32-upcast) input, so torch's fused kernels accept both."""
    if param is None or param.dtype == x.dtype:
        return param
    return param.to(x.dtype)


def output_dtype(layer, inputs):
    """The dtype a normalization layer returns: the policy's compute dtype under a mixed
    policy (as Keras casts its outputs), else the input's dtype."""
    policy = layer.dtype_policy
    return as_torch_dtype(policy.compute_dtype) if policy.is_mixed else inputs.dtype
