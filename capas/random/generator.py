"""`tf.random.Generator`, `get_global_generator` and the `stateless_*` ops.

A `Generator` owns a torch generator: the same seed gives the same sequence (within capas),
`split` and `make_seeds` derive new independent streams from it, and stateless ops give the
same numbers for the same `seed=[a, b]` pair on every call. The numbers themselves differ from
TensorFlow's (TF's Philox/ThreeFry streams are not reproduced); shapes, dtypes, ranges and
reproducibility match.
"""

import torch

from capas.ops import random as _random
from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops._utils import shape_tuple

_MASK = 0xFFFF_FFFF_FFFF_FFFF


def _int(value):
    return int(value.item() if isinstance(value, torch.Tensor) else value)


def _mix(*parts):
    # splitmix64 over the parts: distinct seeds give unrelated torch seeds.
    state = 0x9E37_79B9_7F4A_7C15
    for part in parts:
        state = (state ^ (int(part) & _MASK)) * 0xBF58_476D_1CE4_E5B9 & _MASK
        state = (state ^ (state >> 31)) * 0x94D0_49BB_1331_11EB & _MASK
        state ^= state >> 29
    return state & 0x7FFF_FFFF_FFFF_FFFF


class Generator:
    """A random number generator with its own state, as `tf.random.Generator`.

    Make one with `Generator.from_seed(seed)` (reproducible) or
    `Generator.from_non_deterministic_state()`.

    Example:

    >>> import capas as tf
    >>> g = tf.random.Generator.from_seed(1)
    >>> g.normal(shape=[2, 3]).shape
    torch.Size([2, 3])
    >>> bool((tf.random.Generator.from_seed(1).uniform([4]) == tf.random.Generator.from_seed(1).uniform([4])).all())
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._seed = copy_from._seed
            self._torch = torch.Generator(device=copy_from._device)
            self._torch.set_state(copy_from._torch.get_state())
            self._device = copy_from._device
            return
        if state is None:
            raise ValueError(
                "tf.random.Generator: give `copy_from` or `state`, or use Generator.from_seed(seed) / "
                "Generator.from_non_deterministic_state()."
            )
        self._reset(_mix(*[_int(s) for s in torch.as_tensor(state).reshape(-1).tolist()]))

    def _reset(self, seed):
        self._seed = seed
        self._device = torch.get_default_device()
        self._torch = torch.Generator(device=self._device)
        self._torch.manual_seed(seed)

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose numbers depend only on `seed` (an int or int tensor)."""
        gen = cls.__new__(cls)
        seeds = torch.as_tensor(seed).reshape(-1).tolist()
        gen._reset(_mix(0x5EED, *seeds))
        return gen

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from the operating system's entropy."""
        gen = cls.__new__(cls)
        gen._reset(torch.seed() & 0x7FFF_FFFF_FFFF_FFFF)
        return gen

    @classmethod
    def from_state(cls, state, alg=None):
        """A generator made from a state (a list or tensor of ints)."""
        return cls(state=state, alg=alg)

    def reset_from_seed(self, seed):
        """Restart this generator as `Generator.from_seed(seed)` would start."""
        self._reset(_mix(0x5EED, *torch.as_tensor(seed).reshape(-1).tolist()))

    @property
    def algorithm(self):
        return 1  # TF's RNG_ALG_PHILOX

    # -- sampling ------------------------------------------------------------
    def normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        """Samples from `N(mean, stddev**2)` of `shape`."""
        dtype = _random._float_dtype(dtype, "Generator.normal")
        out = torch.randn(shape_tuple(shape), dtype=dtype, device=self._device, generator=self._torch)
        return out * stddev + mean

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        """Samples from a normal distribution truncated to `mean ± 2 * stddev`."""
        dtype = _random._float_dtype(dtype, "Generator.truncated_normal")
        out = torch.empty(shape_tuple(shape), dtype=dtype, device=self._device)
        torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=self._torch)
        return out * stddev + mean

    def uniform(self, shape, minval=0, maxval=None, dtype="float32", name=None):
        """Samples from `[minval, maxval)`; integer dtypes need both bounds."""
        dtype = as_torch_dtype(dtype)
        shape = shape_tuple(shape)
        if dtype.is_floating_point:
            maxval = 1 if maxval is None else maxval
            out = torch.rand(shape, dtype=dtype, device=self._device, generator=self._torch)
            return out * (maxval - minval) + minval
        if maxval is None:
            raise ValueError(f"Generator.uniform needs `maxval` for the integer dtype {dtype}.")
        return torch.randint(_int(minval), _int(maxval), shape, dtype=dtype, device=self._device, generator=self._torch)

    def uniform_full_int(self, shape, dtype="uint64", name=None):
        """Integers uniform over the whole range of `dtype` (default uint64, as in TF)."""
        dtype = as_torch_dtype(dtype)
        wide = torch.iinfo(torch.int64)
        out = torch.randint(
            wide.min, wide.max, shape_tuple(shape), dtype=torch.int64, device=self._device, generator=self._torch
        )
        if dtype == torch.uint64:
            return out.view(torch.uint64)
        if dtype == torch.uint32:
            return (out & 0xFFFF_FFFF).to(torch.uint32)
        return out.to(dtype)  # narrower types keep the low bits

    def make_seeds(self, count=1):
        """An int64 tensor of shape `[2, count]`: seeds for stateless ops, drawn from this generator."""
        info = torch.iinfo(torch.int64)
        return torch.randint(
            info.min, info.max, (2, int(count)), dtype=torch.int64, device=self._device, generator=self._torch
        )

    def split(self, count=1):
        """`count` new generators, each an independent stream derived from this one (which advances)."""
        seeds = self.make_seeds(count).tolist()
        out = []
        for a, b in zip(*seeds):
            gen = Generator.__new__(Generator)
            gen._reset(_mix(0x5B1F, a, b))
            out.append(gen)
        return out

    def __repr__(self):
        return f"<capas.random.Generator seed={self._seed}>"


_global_generator = None


def get_global_generator():
    """The process-wide generator (made on first use; `tf.random.set_seed` does not reset it, as in TF)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator):
    """Replace the process-wide generator."""
    global _global_generator
    _global_generator = generator


# -- stateless ops ---------------------------------------------------------------
def _stateless(seed, device):
    values = torch.as_tensor(seed).reshape(-1).tolist()
    if len(values) != 2:
        raise ValueError(f"A stateless random op needs `seed` of shape [2]; received {seed!r}.")
    gen = torch.Generator(device=device)
    gen.manual_seed(_mix(0x57A7, *values))
    return gen


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32", name=None, alg="auto_select"):
    """Normal samples that depend only on `shape` and `seed` (a pair of ints)."""
    dtype = _random._float_dtype(dtype, "stateless_normal")
    device = torch.get_default_device()
    out = torch.randn(shape_tuple(shape), dtype=dtype, device=device, generator=_stateless(seed, device))
    return out * stddev + mean


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32", name=None, alg="auto_select"):
    """Truncated-normal samples that depend only on `shape` and `seed`."""
    dtype = _random._float_dtype(dtype, "stateless_truncated_normal")
    device = torch.get_default_device()
    out = torch.empty(shape_tuple(shape), dtype=dtype, device=device)
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=_stateless(seed, device))
    return out * stddev + mean


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype="float32", name=None, alg="auto_select"):
    """Uniform samples in `[minval, maxval)` that depend only on `shape` and `seed`.

    Example:

    >>> import capas as tf
    >>> a = tf.random.stateless_uniform([2, 2], seed=[1, 2])
    >>> bool((a == tf.random.stateless_uniform([2, 2], seed=[1, 2])).all())
    True
    """
    dtype = as_torch_dtype(dtype)
    device = torch.get_default_device()
    gen = _stateless(seed, device)
    shape = shape_tuple(shape)
    if dtype.is_floating_point:
        maxval = 1 if maxval is None else maxval
        return torch.rand(shape, dtype=dtype, device=device, generator=gen) * (maxval - minval) + minval
    if maxval is None:
        raise ValueError(f"tf.random.stateless_uniform needs `maxval` for the integer dtype {dtype}.")
    return torch.randint(_int(minval), _int(maxval), shape, dtype=dtype, device=device, generator=gen)


def stateless_categorical(logits, num_samples, seed, dtype="int64", name=None):
    """Class indices drawn per row of `logits`, depending only on `seed`."""
    logits = torch.as_tensor(logits)
    probs = torch.softmax(logits if logits.is_floating_point() else logits.float(), dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True, generator=_stateless(seed, logits.device))
    dtype = as_torch_dtype(dtype)
    return out if dtype == torch.int64 else out.to(dtype)


def stateless_split(seed, num=2, alg="auto_select"):
    """`num` new seed pairs (`[num, 2]`, the seed's dtype: int32 for Python ints, as TF) from `seed`."""
    dtype = convert_to_tensor(seed).dtype
    dtype = dtype if dtype in (torch.int32, torch.int64) else torch.int64
    gen = _stateless(seed, "cpu")
    info = torch.iinfo(dtype)
    return torch.randint(info.min, info.max, (int(num), 2), dtype=dtype, generator=gen)
