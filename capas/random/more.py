"""More of `tf.random`: `Algorithm`, RNG states and seeds, gamma/Poisson/binomial sampling, candidate samplers.

The samples come from torch generators (as every capas random op): TF's shapes, dtypes, value
ranges, seed-determinism and, for the candidate samplers, TF's expected counts; not TF's Philox
numbers (`tests/goldens/tfrandom2/` records what TF defines).
"""

import enum
import math

import numpy as np
import torch

from capas.ops import random as _random
from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops._utils import shape_tuple
from capas.random import generator as _gen

_MASK64 = 0xFFFF_FFFF_FFFF_FFFF


class Algorithm(enum.Enum):
    """TF's RNG algorithm ids. capas accepts them everywhere an `alg` is taken; its numbers come
    from torch whichever is named.

    >>> import capas as tf
    >>> tf.random.Algorithm.PHILOX.value
    1
    """

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_ALG_NAMES = {"philox": 1, "threefry": 2, "auto_select": 3}
_STATE_SIZES = {1: 3, 2: 2, 3: 3}  # AUTO_SELECT picks Philox on CPU


def _alg_id(alg):
    if alg is None:
        return 3
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str) and alg.lower() in _ALG_NAMES:
        return _ALG_NAMES[alg.lower()]
    if isinstance(alg, int) and alg in (1, 2, 3):
        return alg
    raise ValueError(
        f"tf.random: unknown RNG algorithm {alg!r}; use 'philox', 'threefry', 'auto_select' or a "
        "tf.random.Algorithm member."
    )


def _to_int64(v):
    v = int(v) & _MASK64
    return v - (1 << 64) if v >= 1 << 63 else v


def create_rng_state(seed, alg):
    """The RNG state TF would make from `seed` for algorithm `alg`: an int64 tensor, `[3]` for
    Philox (and auto_select), `[2]` for ThreeFry. An int seed is cut into 64-bit words (low first);
    a short list is zero-padded on the left.

    >>> import capas as tf
    >>> tf.random.create_rng_state(1234, "philox").tolist()
    [1234, 0, 0]
    >>> tf.random.create_rng_state([1, 2], "philox").tolist()
    [0, 1, 2]
    """
    size = _STATE_SIZES[_alg_id(alg)]
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        seed, words = int(seed), []
        for _ in range(size):
            words.append(_to_int64(seed))
            seed >>= 64
    else:
        words = [_to_int64(v) for v in torch.as_tensor(seed).reshape(-1).tolist()][:size]
        words = [0] * (size - len(words)) + words
    return torch.tensor(words, dtype=torch.int64)


def _seed_dtype(seed):
    s = convert_to_tensor(seed)
    if s.dtype not in (torch.int32, torch.int64) or s.shape != (2,):
        raise ValueError(
            f"tf.random: a stateless seed must be an int32 or int64 tensor of shape [2]; received {seed!r} "
            f"(dtype {s.dtype}, shape {tuple(s.shape)})."
        )
    return s.dtype


def split(seed, num=2, alg="auto_select"):
    """`num` new seeds (shape `[num, 2]`, the seed's dtype) derived from the seed pair `seed`.

    >>> import capas as tf
    >>> s = tf.random.split([1, 2], num=3)
    >>> s.shape, s.dtype
    (torch.Size([3, 2]), torch.int32)
    """
    _alg_id(alg)
    return _gen.stateless_split(seed, num=num, alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """A new seed `[x, data]` (the dtype of `data`), `x` drawn from `seed`: one seed per `data` value.

    >>> import capas as tf
    >>> tf.random.fold_in([1, 2], 7).tolist()[1]
    7
    """
    _alg_id(alg)
    _seed_dtype(seed)
    data = convert_to_tensor(data)
    if data.dim() != 0 or data.dtype not in (torch.int32, torch.int64):
        raise ValueError(f"tf.random.fold_in: data must be an int32 or int64 scalar; received {data!r}.")
    info = torch.iinfo(data.dtype)
    first = torch.randint(
        info.min, info.max, (), dtype=data.dtype, generator=_gen._stateless(seed, "cpu"), device="cpu"
    )
    return torch.stack([first, data.cpu()]).to(torch.get_default_device())


stateless_fold_in = fold_in  # tf.random.experimental's name for it


# -- gamma, Poisson, binomial ------------------------------------------------------------------
def _float_param(v, dtype):
    t = convert_to_tensor(v)
    return t.to(dtype if dtype.is_floating_point else torch.float64)


def _gamma_draw(alpha, beta, out_shape, dtype, gen):
    a = alpha.to(torch.float64).expand(out_shape).contiguous()
    draw = torch._standard_gamma(a.cpu(), generator=gen)
    if beta is not None:
        draw = draw / beta.to(torch.float64).expand(out_shape).cpu()
    return draw.to(dtype).to(torch.get_default_device())


def gamma(shape, alpha, beta=None, dtype="float32", seed=None, name=None):
    """Gamma samples: shape `shape + broadcast(alpha, beta).shape`, rate `beta` (default 1).

    >>> import capas as tf
    >>> tf.random.gamma([5], alpha=[0.5, 1.5], beta=2.0).shape
    torch.Size([5, 2])
    """
    dtype = _random._float_dtype(dtype, "gamma")
    alpha = _float_param(alpha, dtype)
    beta = None if beta is None else _float_param(beta, dtype)
    pshape = alpha.shape if beta is None else torch.broadcast_shapes(alpha.shape, beta.shape)
    out_shape = shape_tuple(shape) + tuple(pshape)
    gen = _random._generator(seed, "cpu") if seed is not None else None
    return _gamma_draw(alpha, beta, out_shape, dtype, gen)


def poisson(shape, lam, dtype="float32", seed=None, name=None):
    """Poisson samples: shape `shape + lam.shape`; `dtype` float or integer.

    >>> import capas as tf
    >>> tf.random.poisson([3], lam=[1.0, 5.0], dtype=tf.int32).shape
    torch.Size([3, 2])
    """
    dtype = as_torch_dtype(dtype)
    lam = convert_to_tensor(lam).to(torch.float64)
    out_shape = shape_tuple(shape) + tuple(lam.shape)
    gen = _random._generator(seed, "cpu") if seed is not None else None
    return (
        torch.poisson(lam.expand(out_shape).contiguous().cpu(), generator=gen).to(dtype).to(torch.get_default_device())
    )


def _broadcast_to(param, shape, what, arg):
    try:
        fits = torch.broadcast_shapes(tuple(param.shape), shape) == torch.Size(shape)
    except RuntimeError:
        fits = False
    if not fits:
        raise ValueError(
            f"tf.random.{what}: {arg} of shape {tuple(param.shape)} does not broadcast to the output shape {shape}."
        )
    return param.expand(shape)


def stateless_gamma(shape, seed, alpha, beta=None, dtype="float32", name=None):
    """Gamma samples of shape `shape` (`alpha`, `beta` broadcast to it), depending only on `seed`.

    >>> import capas as tf
    >>> a = tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[0.5, 2.0])
    >>> bool((a == tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[0.5, 2.0])).all())
    True
    """
    dtype = _random._float_dtype(dtype, "stateless_gamma")
    shape = shape_tuple(shape)
    alpha = _broadcast_to(_float_param(alpha, dtype), shape, "stateless_gamma", "alpha")
    beta = None if beta is None else _broadcast_to(_float_param(beta, dtype), shape, "stateless_gamma", "beta")
    return _gamma_draw(alpha, beta, shape, dtype, _gen._stateless(seed, "cpu"))


def stateless_poisson(shape, seed, lam, dtype="int32", name=None):
    """Poisson samples of shape `shape` (`lam` broadcast to it), depending only on `seed`; int32 by default."""
    dtype = as_torch_dtype(dtype)
    shape = shape_tuple(shape)
    lam = _broadcast_to(convert_to_tensor(lam).to(torch.float64), shape, "stateless_poisson", "lam")
    out = torch.poisson(lam.contiguous().cpu(), generator=_gen._stateless(seed, "cpu"))
    return out.to(dtype).to(torch.get_default_device())


def stateless_binomial(shape, seed, counts, probs, output_dtype="int32", name=None):
    """Binomial samples (`counts` trials of probability `probs`, both broadcast to `shape`).

    >>> import capas as tf
    >>> x = tf.random.stateless_binomial([4, 2], seed=[1, 2], counts=[3, 10], probs=0.5)
    >>> x.dtype, bool((x[:, 0] <= 3).all())
    (torch.int32, True)
    """
    dtype = as_torch_dtype(output_dtype)
    shape = shape_tuple(shape)
    counts = _broadcast_to(convert_to_tensor(counts).to(torch.float64), shape, "stateless_binomial", "counts")
    probs = _broadcast_to(convert_to_tensor(probs).to(torch.float64), shape, "stateless_binomial", "probs")
    out = torch.binomial(
        counts.contiguous().cpu(), probs.contiguous().cpu().clamp(0, 1), generator=_gen._stateless(seed, "cpu")
    )
    return out.to(dtype).to(torch.get_default_device())


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0, name=None):
    """Normal samples truncated to `[minvals, maxvals]` (all four parameters broadcast to `shape`).

    Sampled by inverting the normal CDF between the bounds.

    >>> import capas as tf
    >>> x = tf.random.stateless_parameterized_truncated_normal([1000], [1, 2], minvals=0.0, maxvals=0.5)
    >>> bool((x >= 0).all() and (x <= 0.5).all())
    True
    """
    shape = shape_tuple(shape)
    params = [convert_to_tensor(v) for v in (means, stddevs, minvals, maxvals)]
    dtype = next((p.dtype for p in params if p.is_floating_point()), torch.float32)
    what = "stateless_parameterized_truncated_normal"
    mean, std, lo, hi = (
        _broadcast_to(p.to(torch.float64), shape, what, n)
        for p, n in zip(params, ("means", "stddevs", "minvals", "maxvals"))
    )
    u = torch.rand(shape, dtype=torch.float64, generator=_gen._stateless(seed, "cpu"), device="cpu")
    a = torch.special.ndtr((lo.cpu() - mean.cpu()) / std.cpu())
    b = torch.special.ndtr((hi.cpu() - mean.cpu()) / std.cpu())
    z = torch.special.ndtri((a + u * (b - a)).clamp(1e-300, 1 - 1e-16))
    out = (mean.cpu() + std.cpu() * z).clamp(torch.minimum(lo, hi).cpu(), torch.maximum(lo, hi).cpu())
    return out.to(dtype).to(torch.get_default_device())


# -- candidate samplers ------------------------------------------------------------------------
class _CandidateSample(tuple):
    """A named triple, as TF's sampler results: `sampled_candidates`, `true_expected_count`,
    `sampled_expected_count`."""

    _fields = ("sampled_candidates", "true_expected_count", "sampled_expected_count")

    def __new__(cls, *values):
        return super().__new__(cls, values)

    sampled_candidates = property(lambda self: self[0])
    true_expected_count = property(lambda self: self[1])
    sampled_expected_count = property(lambda self: self[2])

    def __repr__(self):
        return f"{type(self).__name__}(" + ", ".join(f"{n}={v!r}" for n, v in zip(self._fields, self)) + ")"


def _named(name):
    return type(name, (_CandidateSample,), {})


UniformCandidateSampler = _named("UniformCandidateSampler")
LogUniformCandidateSampler = _named("LogUniformCandidateSampler")
LearnedUnigramCandidateSampler = _named("LearnedUnigramCandidateSampler")
FixedUnigramCandidateSampler = _named("FixedUnigramCandidateSampler")
AllCandidateSampler = _named("AllCandidateSampler")


def _true_classes(true_classes, num_true, what, range_max):
    t = convert_to_tensor(true_classes)
    if t.dim() != 2 or t.shape[1] != int(num_true):
        raise ValueError(
            f"tf.random.{what}: true_classes must be (batch_size, num_true={num_true}); received shape {tuple(t.shape)}."
        )
    t = t.to(torch.int64).cpu()
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= range_max):
        raise ValueError(
            f"tf.random.{what}: true_classes must be in [0, {range_max}); received values from "
            f"{int(t.min())} to {int(t.max())}."
        )
    return t


def _sample(probs, true_classes, num_sampled, unique, seed, what, result):
    range_max = probs.shape[0]
    num_sampled = int(num_sampled)
    if unique and num_sampled > range_max:
        raise ValueError(
            f"tf.random.{what}: with unique=True, num_sampled ({num_sampled}) must be <= range_max ({range_max})."
        )
    gen = _random._generator(seed, "cpu") if seed is not None else None
    if unique:  # draw with replacement until num_sampled distinct values, counting the tries (as TF)
        seen, out, tries = set(), [], 0
        while len(out) < num_sampled:
            batch = torch.multinomial(probs, max(num_sampled, 16), replacement=True, generator=gen).tolist()
            for v in batch:
                tries += 1
                if v not in seen:
                    seen.add(v)
                    out.append(v)
                    if len(out) == num_sampled:
                        break
        sampled = torch.tensor(out, dtype=torch.int64, device="cpu")
    else:
        sampled = torch.multinomial(probs, num_sampled, replacement=True, generator=gen)
        tries = num_sampled

    def expected(p):
        p = p.to(torch.float64)
        if tries == num_sampled:
            return (p * num_sampled).to(torch.float32)
        return (-torch.expm1(tries * torch.log1p(-p))).to(torch.float32)

    dev = torch.get_default_device()
    return result(sampled.to(dev), expected(probs[true_classes]).to(dev), expected(probs[sampled]).to(dev))


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Sample `num_sampled` classes uniformly from `[0, range_max)`; returns
    `(sampled_candidates, true_expected_count, sampled_expected_count)`.

    >>> import capas as tf
    >>> s = tf.random.uniform_candidate_sampler([[1, 2]], 2, 4, False, 10)
    >>> s.sampled_candidates.shape, s.true_expected_count.numpy().tolist()
    (torch.Size([4]), [[0.4000000059604645, 0.4000000059604645]])
    """
    range_max = int(range_max)
    t = _true_classes(true_classes, num_true, "uniform_candidate_sampler", range_max)
    probs = torch.full((range_max,), 1.0 / range_max, dtype=torch.float64, device="cpu")
    return _sample(probs, t, num_sampled, unique, seed, "uniform_candidate_sampler", UniformCandidateSampler)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Sample from the log-uniform (Zipfian) distribution `P(k) = log((k+2)/(k+1)) / log(range_max+1)`."""
    range_max = int(range_max)
    t = _true_classes(true_classes, num_true, "log_uniform_candidate_sampler", range_max)
    k = torch.arange(range_max, dtype=torch.float64, device="cpu")
    probs = (torch.log(k + 2) - torch.log(k + 1)) / math.log(range_max + 1)
    return _sample(probs, t, num_sampled, unique, seed, "log_uniform_candidate_sampler", LogUniformCandidateSampler)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Sample from the unigram distribution learned from `true_classes`.

    As in TF's eager mode, each call starts a fresh sampler, which has learned nothing yet when
    it samples: the distribution is uniform over `[0, range_max)`.
    """
    range_max = int(range_max)
    t = _true_classes(true_classes, num_true, "learned_unigram_candidate_sampler", range_max)
    probs = torch.full((range_max,), 1.0 / range_max, dtype=torch.float64, device="cpu")
    return _sample(
        probs, t, num_sampled, unique, seed, "learned_unigram_candidate_sampler", LearnedUnigramCandidateSampler
    )


def _read_vocab_counts(vocab_file):
    counts = []
    with open(vocab_file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                counts.append(float(line.split(",")[-1]))
            except ValueError:
                raise ValueError(
                    f"tf.random.fixed_unigram_candidate_sampler: line {n} of {vocab_file} is {line!r}; expected "
                    "'word,count' (a CSV line whose last field is the count)."
                ) from None
    return counts


def fixed_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    vocab_file="",
    distortion=1.0,
    num_reserved_ids=0,
    num_shards=1,
    shard=0,
    unigrams=(),
    seed=None,
    name=None,
):
    """Sample from given unigram counts (`unigrams`, or the last CSV field of each `vocab_file` line),
    each raised to `distortion`; `num_reserved_ids` ids of weight 0 come first.

    >>> import capas as tf
    >>> s = tf.random.fixed_unigram_candidate_sampler([[1]], 1, 3, False, 4, unigrams=[1, 1, 2, 0])
    >>> s.true_expected_count.numpy().tolist()
    [[0.75]]
    """
    what = "fixed_unigram_candidate_sampler"
    if int(num_shards) != 1 or int(shard) != 0:
        raise NotImplementedError(f"tf.random.{what}: num_shards/shard are not supported by capas; leave them 1 and 0.")
    counts = _read_vocab_counts(vocab_file) if vocab_file else [float(u) for u in unigrams]
    if not counts:
        raise ValueError(f"tf.random.{what}: give `unigrams` (a list of counts) or `vocab_file`.")
    weights = [0.0] * int(num_reserved_ids) + [c ** float(distortion) for c in counts]
    range_max = int(range_max)
    if len(weights) != range_max:
        raise ValueError(
            f"tf.random.{what}: range_max ({range_max}) must equal num_reserved_ids ({num_reserved_ids}) + the "
            f"number of unigrams ({len(counts)})."
        )
    t = _true_classes(true_classes, num_true, what, range_max)
    probs = torch.tensor(weights, dtype=torch.float64, device="cpu")
    probs = probs / probs.sum()
    return _sample(probs, t, num_sampled, unique, seed, what, FixedUnigramCandidateSampler)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Every class `[0, num_sampled)` as the sample, with expected counts of 1.

    >>> import capas as tf
    >>> tf.random.all_candidate_sampler([[0, 2]], 2, 3, True).sampled_candidates.tolist()
    [0, 1, 2]
    """
    num_sampled = int(num_sampled)
    t = _true_classes(true_classes, num_true, "all_candidate_sampler", num_sampled)
    dev = torch.get_default_device()
    return AllCandidateSampler(
        torch.arange(num_sampled, dtype=torch.int64, device=dev),
        torch.ones(t.shape, dtype=torch.float32, device=dev),
        torch.ones(num_sampled, dtype=torch.float32, device=dev),
    )


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """Shuffle `value` along its first axis, the order depending only on `seed` (a pair of ints).

    >>> import capas as tf
    >>> sorted(tf.random.experimental.stateless_shuffle(tf.range(5), seed=[1, 2]).tolist())
    [0, 1, 2, 3, 4]
    """
    _alg_id(alg)
    x = convert_to_tensor(value)
    if x.dim() == 0:
        raise ValueError("tf.random.experimental.stateless_shuffle: value must have at least one dimension.")
    order = torch.randperm(x.shape[0], generator=_gen._stateless(seed, "cpu"), device="cpu").to(x.device)
    return x[order]
