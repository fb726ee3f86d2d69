"""Shape and dtype checks and seeded sampling shared by the initializers.

Tensors are created on torch's current default device (so `with
torch.device("cuda"):` builds weights on the GPU). An int seed gives a fresh
`torch.Generator` per call, so a seeded initializer returns the same values
every time; seed None draws from torch's global generator, so
`torch.manual_seed` reproduces a run.
"""

import math

import torch

from capas.ops._convert import as_torch_dtype

_DEFAULT_DTYPE = torch.float32  # Keras's floatx() default.
_ERF_SQRT2 = math.erf(math.sqrt(2.0))  # 2 * Phi(2) - 1: the mass within 2 stddev.


def standardize_shape(shape, owner):
    """`shape` as a tuple of non-negative ints, or a ValueError naming `owner`."""
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(
            f"{owner} expected `shape` to be a tuple of ints, received {shape!r} of type {type(shape).__name__}."
        ) from None
    out = []
    for dim in dims:
        if hasattr(dim, "__index__") and not isinstance(dim, bool):
            dim = dim.__index__()
            if dim >= 0:
                out.append(dim)
                continue
        raise ValueError(
            f"{owner} needs a fully defined shape of non-negative ints; received "
            f"shape={shape!r}. Build weights once the input shape is known."
        )
    return tuple(out)


def standardize_dtype(dtype, owner, floating=False):
    """`dtype` as a torch dtype (float32 when None); `floating` rejects others."""
    dtype = _DEFAULT_DTYPE if dtype is None else as_torch_dtype(dtype)
    if floating and not dtype.is_floating_point:
        raise ValueError(
            f"{owner} draws floating-point values and cannot produce dtype {dtype}. "
            "Pass a float dtype such as 'float32'."
        )
    return dtype


def validate_seed(seed, owner):
    """Seeds are None or an int; anything else is a TypeError."""
    if seed is None or isinstance(seed, int) and not isinstance(seed, bool):
        return seed
    raise TypeError(f"{owner} expected `seed` to be None or an int, received {seed!r} of type {type(seed).__name__}.")


def _generator(seed, device):
    if seed is None or device.type == "meta":
        return None
    return torch.Generator(device=device).manual_seed(seed)


def _sampling_dtype(dtype):
    # Half-precision sampling kernels are missing or coarse on some devices:
    # sample in float32 and cast once.
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


def _empty(shape, dtype):
    return torch.empty(shape, dtype=_sampling_dtype(dtype), device=torch.get_default_device())


def normal(shape, mean, stddev, dtype, seed):
    """Samples of N(mean, stddev**2)."""
    out = _empty(shape, dtype)
    out.normal_(mean, stddev, generator=_generator(seed, out.device))
    return out.to(dtype)


def uniform(shape, minval, maxval, dtype, seed):
    """Samples of U[minval, maxval)."""
    out = _empty(shape, dtype)
    out.uniform_(minval, maxval, generator=_generator(seed, out.device))
    return out.to(dtype)


def truncated_normal(shape, mean, stddev, dtype, seed):
    """Samples of N(mean, stddev**2) conditioned on lying within 2 stddev of the mean."""
    # Inverse CDF: uniform samples between the normal CDF at -2 and at 2, mapped
    # through sqrt(2) * erfinv(2u - 1). Exact, one pass, no rejection loop.
    out = _empty(shape, dtype)
    out.uniform_(-_ERF_SQRT2, _ERF_SQRT2, generator=_generator(seed, out.device))
    out.erfinv_().mul_(math.sqrt(2.0)).clamp_(-2.0, 2.0)
    return out.mul_(stddev).add_(mean).to(dtype)
