"""Random tensors with TensorFlow's seeding model (`tf.random.*`).

`set_seed(s)` seeds torch's global generator, so unseeded ops give the same
sequence on every run. An op-level `seed=` gives the op its own generator,
keyed by (global seed, op seed): successive calls with the same seed continue
one reproducible sequence, and `set_seed` restarts it, as in TF eager mode.
"""

import torch

from capas.ops._convert import as_torch_dtype
from capas.ops._recording import op
from capas.ops._utils import shape_tuple, to_tensor

_global_seed = None
_generators = {}


def set_seed(seed):
    """Set the global random seed (and seed torch's default generators).

    Example:

    >>> import capas as tf
    >>> tf.random.set_seed(1); a = tf.random.normal((2,))
    >>> tf.random.set_seed(1); b = tf.random.normal((2,))
    >>> bool((a == b).all())
    True
    """
    global _global_seed
    _global_seed = None if seed is None else int(seed)
    _generators.clear()
    if seed is not None:
        torch.manual_seed(int(seed))


def get_global_seed():
    """The seed given to the last `set_seed`, or None."""
    return _global_seed


def _generator(seed, device):
    if seed is None:
        return None
    device = torch.device(device)
    key = (_global_seed, int(seed), device)
    gen = _generators.get(key)
    if gen is None:
        gen = torch.Generator(device=device)
        gen.manual_seed(((_global_seed or 0) * 1_000_003 + int(seed)) & 0x7FFF_FFFF_FFFF_FFFF)
        _generators[key] = gen
    return gen


def _float_dtype(dtype, what):
    dtype = as_torch_dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(f"tf.random.{what} needs a floating dtype; received {dtype}.")
    return dtype


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """Samples from a normal distribution `N(mean, stddev**2)`.

    Args:
        shape: the output shape.
        mean, stddev: numbers or tensors broadcastable to `shape`.
        dtype: a floating dtype (default float32).
        seed: optional op-level seed (see the module docstring).
    """
    dtype = _float_dtype(dtype, "normal")
    device = torch.get_default_device()
    out = torch.randn(shape_tuple(shape), dtype=dtype, device=device, generator=_generator(seed, device))
    return out * stddev + mean


def uniform(shape, minval=0, maxval=None, dtype="float32", seed=None, name=None):
    """Samples from a uniform distribution over `[minval, maxval)`.

    Floating dtypes default to `[0, 1)`; integer dtypes need `maxval`.
    """
    dtype = as_torch_dtype(dtype)
    device = torch.get_default_device()
    gen = _generator(seed, device)
    shape = shape_tuple(shape)
    if dtype.is_floating_point:
        maxval = 1 if maxval is None else maxval
        out = torch.rand(shape, dtype=dtype, device=device, generator=gen)
        return out * (maxval - minval) + minval
    if maxval is None:
        raise ValueError(f"tf.random.uniform needs `maxval` for the integer dtype {dtype}.")
    low = int(minval.item() if isinstance(minval, torch.Tensor) else minval)
    high = int(maxval.item() if isinstance(maxval, torch.Tensor) else maxval)
    return torch.randint(low, high, shape, dtype=dtype, device=device, generator=gen)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """Samples from a normal distribution truncated to `mean ± 2 * stddev`."""
    dtype = _float_dtype(dtype, "truncated_normal")
    device = torch.get_default_device()
    out = torch.empty(shape_tuple(shape), dtype=dtype, device=device)
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=_generator(seed, device))
    return out * stddev + mean


@op
def shuffle(value, seed=None, name=None):
    """`value` with its first axis randomly permuted."""
    x = to_tensor(value)
    if x.dim() == 0:
        return x
    perm = torch.randperm(x.shape[0], device=x.device, generator=_generator(seed, x.device))
    return x[perm]


@op
def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draw `num_samples` class indices per row of `logits` (shape `[batch, classes]`)."""
    logits = to_tensor(logits)
    probs = torch.softmax(logits.float() if not logits.is_floating_point() else logits, dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True, generator=_generator(seed, logits.device))
    dtype = torch.int64 if dtype is None else as_torch_dtype(dtype)
    return out if dtype == torch.int64 else out.to(dtype)
