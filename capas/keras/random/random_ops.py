"""`keras.random`: random tensors seeded the Keras 3 way.

`seed` is an int (the same numbers on every call), a `SeedGenerator` (new
numbers on every call, reproducible from its seed) or None (the global
generator). With the same seed, the numbers equal those of Keras 3 on its
torch backend.
"""

import torch

from capas.keras.config import floatx
from capas.keras.random.seed_generator import SeedGenerator, draw_seed, torch_generator
from capas.ops._convert import as_torch_dtype, convert_to_tensor


def _dtype(dtype, default=None):
    return as_torch_dtype(dtype or default or floatx())


def _float_dtype(dtype, what):
    torch_dtype = _dtype(dtype)
    if not torch_dtype.is_floating_point:
        raise ValueError(f"keras.random.{what}: `dtype` must be a float dtype, received dtype={dtype!r}.")
    return torch_dtype


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draw from a normal distribution.

    Example:

    >>> from capas import keras
    >>> x = keras.random.normal((2, 3), seed=1)
    >>> tuple(x.shape), bool((x == keras.random.normal((2, 3), seed=1)).all())
    ((2, 3), True)
    """
    return torch.normal(
        mean, stddev, size=_shape(shape), generator=torch_generator(seed), dtype=_float_dtype(dtype, "normal")
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draw from a uniform distribution on `[minval, maxval)`.

    Example:

    >>> from capas import keras
    >>> x = keras.random.uniform((100,), minval=2.0, maxval=3.0, seed=0)
    >>> bool(((x >= 2) & (x < 3)).all())
    True
    """
    shape = _shape(shape)
    draw = torch.rand(shape or (1,), generator=torch_generator(seed), dtype=_float_dtype(dtype, "uniform"))
    out = (maxval - minval) * draw + minval
    return out if shape else out[0]


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draw integers uniformly from `[minval, maxval)`.

    Example:

    >>> from capas import keras
    >>> x = keras.random.randint((5,), 0, 3, seed=0)
    >>> bool(((x >= 0) & (x < 3)).all()), x.dtype
    (True, torch.int32)
    """
    return torch.randint(int(minval), int(maxval), _shape(shape), generator=torch_generator(seed), dtype=_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draw from a normal distribution truncated to two standard deviations.

    Example:

    >>> from capas import keras
    >>> x = keras.random.truncated_normal((1000,), seed=3)
    >>> bool((x.abs() < 2).all())
    True
    """
    shape = _shape(shape)
    torch_dtype = _float_dtype(dtype, "truncated_normal")
    # Four candidates per value; keep the first one inside (-2, 2), as Keras's torch backend does.
    candidates = torch.normal(0.0, 1.0, size=shape + (4,), generator=torch_generator(seed), dtype=torch_dtype)
    inside = (candidates > -2) & (candidates < 2)
    first = inside.max(-1, keepdim=True)[1]
    return candidates.gather(-1, first).squeeze(-1) * stddev + mean


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero entries of `inputs` with probability `rate`, scale the rest by `1 / (1 - rate)`.

    Example:

    >>> from capas import keras
    >>> import torch
    >>> y = keras.random.dropout(torch.ones(8), 0.5, seed=1)
    >>> sorted(set(y.tolist())) in ([0.0, 2.0], [2.0], [0.0])
    True
    """
    inputs = convert_to_tensor(inputs)
    if rate == 1.0:
        return torch.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    unseeded = seed is None or (isinstance(seed, SeedGenerator) and seed._initial_seed is None)
    if unseeded and noise_shape is None:
        return torch.nn.functional.dropout(inputs, p=rate, training=True)
    keep = 1.0 - rate
    shape = (
        tuple(inputs.shape)
        if noise_shape is None
        else tuple(inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    )
    mask = torch.bernoulli(torch.full(shape, keep), generator=torch_generator(seed)).bool().to(inputs.device)
    mask = torch.broadcast_to(mask, inputs.shape)
    return torch.where(mask, inputs / keep, torch.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """Shuffle `x` along `axis`.

    Example:

    >>> from capas import keras
    >>> sorted(keras.random.shuffle([1, 2, 3, 4], seed=0).tolist())
    [1, 2, 3, 4]
    """
    x = convert_to_tensor(x)
    axis = axis % x.dim()
    perm = torch.rand(tuple(x.shape[: axis + 1]), generator=torch_generator(seed)).argsort(axis).to(x.device)
    perm = perm.reshape(perm.shape + (1,) * (x.dim() - axis - 1)).expand(x.shape)
    return x.gather(axis, perm)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draw `num_samples` class indices per row of `logits` (unnormalized log-probabilities).

    Example:

    >>> from capas import keras
    >>> keras.random.categorical([[0.0, -1e9]], 3, seed=0).tolist()
    [[0, 0, 0]]
    """
    logits = convert_to_tensor(logits)
    probs = torch.softmax(logits.float() if not logits.is_floating_point() else logits, dim=-1)
    samples = torch.multinomial(probs, int(num_samples), replacement=True, generator=torch_generator(seed))
    return samples.to(_dtype(dtype))


def _sample_with_seed(seed, sample):
    # torch.distributions take no generator: seed torch's global one for this draw and restore it after.
    first, second = (int(v) for v in draw_seed(seed))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed((first + second) & 0xFFFFFFFF)
        return sample()


def _broadcast(value, shape):
    return torch.broadcast_to(convert_to_tensor(value).float(), shape)


def gamma(shape, alpha, dtype=None, seed=None):
    """Draw from a gamma distribution with concentration `alpha` (scale 1).

    Example:

    >>> from capas import keras
    >>> bool((keras.random.gamma((10,), alpha=2.0, seed=0) > 0).all())
    True
    """
    shape = _shape(shape)
    dist = torch.distributions.Gamma(_broadcast(alpha, shape), torch.ones(shape))
    return _sample_with_seed(seed, dist.sample).to(_dtype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draw from a beta distribution with parameters `alpha` and `beta`.

    Example:

    >>> from capas import keras
    >>> x = keras.random.beta((10,), alpha=2.0, beta=3.0, seed=0)
    >>> bool(((x > 0) & (x < 1)).all())
    True
    """
    shape = _shape(shape)
    dist = torch.distributions.Beta(_broadcast(alpha, shape), _broadcast(beta, shape))
    return _sample_with_seed(seed, dist.sample).to(_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draw from a binomial distribution (`counts` trials with success probability `probabilities`).

    Example:

    >>> from capas import keras
    >>> x = keras.random.binomial((10,), counts=5, probabilities=0.5, seed=0)
    >>> bool(((x >= 0) & (x <= 5)).all())
    True
    """
    shape = _shape(shape)
    dist = torch.distributions.Binomial(total_count=_broadcast(counts, shape), probs=_broadcast(probabilities, shape))
    return _sample_with_seed(seed, dist.sample).to(_dtype(dtype))
