"""TensorFlow's initializer objects (`tf.random_normal_initializer` and friends).

Each is callable as `init(shape, dtype=...)` and returns a tensor, so it can be
given to `tf.Variable(init(shape=(2, 3), dtype='float32'))` or to a layer's
`add_weight(initializer=...)`. A seeded random initializer returns the same
values on every call, as TensorFlow's do.
"""

import torch

from capas.ops._convert import as_torch_dtype
from capas.ops.array import constant
from capas.ops._utils import shape_tuple


class Initializer:
    """Base class: `__call__(shape, dtype=None, **kwargs)` returns a tensor."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _float_dtype(dtype, owner):
    dtype = torch.float32 if dtype is None else as_torch_dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(f"{owner} only creates floating tensors; received dtype {dtype}.")
    return dtype


def _generator(seed):
    if seed is None:
        return None
    gen = torch.Generator(device=torch.get_default_device())
    gen.manual_seed(int(seed))
    return gen


class zeros_initializer(Initializer):  # noqa: N801 - TensorFlow's name
    """Initializer that fills tensors with 0.

    Example:

    >>> import capas as tf
    >>> tf.zeros_initializer()(shape=(2,)).tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = torch.float32 if dtype is None else as_torch_dtype(dtype)
        return torch.zeros(shape_tuple(shape), dtype=dtype)


class ones_initializer(Initializer):  # noqa: N801 - TensorFlow's name
    """Initializer that fills tensors with 1."""

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = torch.float32 if dtype is None else as_torch_dtype(dtype)
        return torch.ones(shape_tuple(shape), dtype=dtype)


class constant_initializer(Initializer):  # noqa: N801 - TensorFlow's name
    """Initializer that fills tensors with `value` (a scalar, or a list with one
    value per element of the requested shape).
    """

    def __init__(self, value=0, support_partition=False):
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = None if dtype is None else as_torch_dtype(dtype)
        return constant(self.value, dtype=dtype, shape=shape_tuple(shape))

    def get_config(self):
        value = self.value.tolist() if hasattr(self.value, "tolist") else self.value
        return {"value": value}


class random_normal_initializer(Initializer):  # noqa: N801 - TensorFlow's name
    """Initializer drawing from `N(mean, stddev**2)` (defaults 0 and 0.05).

    Args:
        mean: the mean.
        stddev: the standard deviation.
        seed: optional; a seeded initializer returns the same values every call.

    Example:

    >>> import capas as tf
    >>> tf.random_normal_initializer()(shape=(2, 3), dtype="float32").shape
    torch.Size([2, 3])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float_dtype(dtype, "random_normal_initializer")
        out = torch.randn(shape_tuple(shape), dtype=dtype, generator=_generator(self.seed))
        return out * self.stddev + self.mean

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class random_uniform_initializer(Initializer):  # noqa: N801 - TensorFlow's name
    """Initializer drawing uniformly from `[minval, maxval)` (defaults -0.05 and 0.05)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float_dtype(dtype, "random_uniform_initializer")
        out = torch.rand(shape_tuple(shape), dtype=dtype, generator=_generator(self.seed))
        return out * (self.maxval - self.minval) + self.minval

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}
