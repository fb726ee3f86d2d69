"""Random initializers with fixed parameters: RandomNormal, RandomUniform,
TruncatedNormal and Orthogonal. The fan-scaled ones live in variance_scaling_initializers.py."""

import torch

from capas.keras.initializers import _random
from capas.keras.initializers.initializer import Initializer
from capas.keras.saving.object_registration import register_builtin


class RandomInitializer(Initializer):
    """Base of the seeded initializers: validates and stores `seed`.

    Differs from Keras: with `seed=None` every call draws fresh values from
    torch's global generator (so `torch.manual_seed` reproduces a run);
    Keras draws one seed when the initializer is created.
    """

    def __init__(self, seed=None):
        self.seed = _random.validate_seed(seed, type(self).__name__)

    def get_config(self):
        return {"seed": self.seed}


@register_builtin("initializers", "normal", "random_normal")
class RandomNormal(RandomInitializer):
    """Random normal initializer.

    Draws samples from a normal distribution for given parameters.

    Args:
        mean: A python scalar, the mean of the random values to generate.
        stddev: A python scalar, the standard deviation of the random values.
        seed: A Python integer, to make the initializer deterministic (every
            call then returns the same values), or None.

    Example:

    >>> from capas.keras import initializers
    >>> initializer = initializers.RandomNormal(mean=0.0, stddev=1.0, seed=1)
    >>> bool((initializer((2, 2)) == initializer((2, 2))).all())
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        name = type(self).__name__
        shape = _random.standardize_shape(shape, name)
        dtype = _random.standardize_dtype(dtype, name, floating=True)
        return _random.normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@register_builtin("initializers", "truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Initializer that generates a truncated normal distribution.

    The values are drawn from a normal distribution with the given mean and
    standard deviation, except that values more than two standard deviations
    from the mean are discarded and re-drawn.

    Args:
        mean: A python scalar, the mean of the random values to generate.
        stddev: A python scalar, the standard deviation of the normal
            distribution before truncation.
        seed: A Python integer, to make the initializer deterministic, or None.

    Example:

    >>> from capas.keras import initializers
    >>> values = initializers.TruncatedNormal(stddev=1.0, seed=0)((1000,))
    >>> bool(values.abs().max() <= 2.0)
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        name = type(self).__name__
        shape = _random.standardize_shape(shape, name)
        dtype = _random.standardize_dtype(dtype, name, floating=True)
        return _random.truncated_normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@register_builtin("initializers", "random_uniform", "uniform")
class RandomUniform(RandomInitializer):
    """Random uniform initializer.

    Draws samples from a uniform distribution over `[minval, maxval)`.

    Args:
        minval: A python scalar, the lower bound of the range.
        maxval: A python scalar, the upper bound of the range.
        seed: A Python integer, to make the initializer deterministic, or None.

    Example:

    >>> from capas.keras import initializers
    >>> values = initializers.RandomUniform(-1.0, 1.0, seed=0)((100,))
    >>> bool((values >= -1).all() and (values < 1).all())
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        name = type(self).__name__
        shape = _random.standardize_shape(shape, name)
        dtype = _random.standardize_dtype(dtype, name, floating=True)
        return _random.uniform(shape, self.minval, self.maxval, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


@register_builtin("initializers", "OrthogonalInitializer", "orthogonal")
class Orthogonal(RandomInitializer):
    """Initializer that generates an orthogonal matrix.

    A 2D shape gets the Q factor of the QR decomposition of a matrix of
    standard normal samples (with the signs fixed by R's diagonal, so Q is
    uniformly distributed): orthogonal rows when there are fewer rows than
    columns, orthogonal columns otherwise. A shape of higher rank is filled
    as the matrix `(shape[0] * ... * shape[-2], shape[-1])` and reshaped.

    Args:
        gain: Multiplicative factor to apply to the orthogonal matrix.
        seed: A Python integer, to make the initializer deterministic, or None.

    Example:

    >>> import torch
    >>> from capas.keras import initializers
    >>> q = initializers.Orthogonal(seed=0)((3, 3))
    >>> torch.allclose(q.T @ q, torch.eye(3), atol=1e-5)
    True

    Reference:

    - [Saxe et al., 2014](https://openreview.net/forum?id=_wzZwKpTDF_9C)
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _random.standardize_shape(shape, "Orthogonal")
        dtype = _random.standardize_dtype(dtype, "Orthogonal", floating=True)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize with Orthogonal must be at least "
                f"two-dimensional. Received: shape={shape} of rank {len(shape)}."
            )
        num_rows = 1
        for dim in shape[:-1]:
            num_rows *= dim
        num_cols = shape[-1]
        flat_shape = (max(num_rows, num_cols), min(num_rows, num_cols))
        # QR has no half-precision kernels; factor in float32 and cast once.
        work_dtype = torch.float64 if dtype == torch.float64 else torch.float32
        a = _random.normal(flat_shape, 0.0, 1.0, work_dtype, self.seed)
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q).reshape(shape).to(dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
