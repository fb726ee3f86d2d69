"""More of `tf.math`: special functions, scans and predicates that are one torch op away.

Each follows TF's argument names and dtype rules (Python numbers become float32 or int32).
"""

import math as _pymath

import torch

from capas.ops._recording import op
from capas.ops._utils import pair, to_tensor
from capas.ops.indexing import _index_tensor, _scatter_flat_index


@op
def rint(x, name=None):
    """Round to the nearest integer, halves to even (`rint(2.5) == 2`), keeping the float dtype.

    >>> import capas as tf
    >>> tf.math.rint(tf.constant([0.5, 1.5, -2.5])).numpy().tolist()
    [0.0, 2.0, -2.0]
    """
    return torch.round(to_tensor(x))


@op
def reciprocal_no_nan(x, name=None):
    """`1 / x`, and 0 where `x == 0`.

    >>> import capas as tf
    >>> tf.math.reciprocal_no_nan(tf.constant([2.0, 0.0])).numpy()
    array([0.5, 0. ], dtype=float32)
    """
    x = to_tensor(x)
    zero = x == 0
    return torch.where(zero, torch.zeros_like(x), 1 / torch.where(zero, torch.ones_like(x), x))


@op
def softsign(features, name=None):
    """`x / (1 + |x|)`.

    >>> import capas as tf
    >>> tf.math.softsign(tf.constant([-3.0, 1.0])).numpy().tolist()
    [-0.75, 0.5]
    """
    x = to_tensor(features)
    return x / (1 + torch.abs(x))


@op
def ndtri(x, name=None):
    """The inverse of the standard normal CDF.

    >>> import capas as tf
    >>> round(float(tf.math.ndtri(tf.constant(0.975))), 4)
    1.96
    """
    return torch.special.ndtri(to_tensor(x))


@op
def erfcinv(x, name=None):
    """The inverse of `erfc`: `-ndtri(x / 2) / sqrt(2)`.

    >>> import capas as tf
    >>> round(float(tf.math.erfcinv(tf.constant(0.5))), 4)
    0.4769
    """
    x = to_tensor(x)
    return -torch.special.ndtri(x / 2) / _pymath.sqrt(2.0)


@op
def bessel_i0(x, name=None):
    """The modified Bessel function of the first kind, order 0.

    >>> import capas as tf
    >>> round(float(tf.math.bessel_i0(tf.constant(1.0))), 4)
    1.2661
    """
    return torch.special.i0(to_tensor(x))


@op
def bessel_i0e(x, name=None):
    """`bessel_i0(x) * exp(-|x|)`."""
    return torch.special.i0e(to_tensor(x))


@op
def bessel_i1(x, name=None):
    """The modified Bessel function of the first kind, order 1."""
    return torch.special.i1(to_tensor(x))


@op
def bessel_i1e(x, name=None):
    """`bessel_i1(x) * exp(-|x|)`."""
    return torch.special.i1e(to_tensor(x))


@op
def lbeta(x, name=None):
    """The log of the multivariate beta function over the last axis: `sum(lgamma(x)) - lgamma(sum(x))`.

    >>> import capas as tf
    >>> round(float(tf.math.lbeta(tf.constant([1.0, 2.0]))), 4)
    -0.6931
    """
    x = to_tensor(x)
    if x.shape[-1] == 0:
        return torch.zeros(x.shape[:-1], dtype=x.dtype, device=x.device)
    return torch.lgamma(x).sum(-1) - torch.lgamma(x.sum(-1))


@op
def igamma(a, x, name=None):
    """The regularized lower incomplete gamma function P(a, x).

    >>> import capas as tf
    >>> round(float(tf.math.igamma(1.0, 1.0)), 4)
    0.6321
    """
    a, x = pair(a, x)
    return torch.special.gammainc(a, x)


@op
def igammac(a, x, name=None):
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    a, x = pair(a, x)
    return torch.special.gammaincc(a, x)


@op
def nextafter(x1, x2, name=None):
    """The next representable value after `x1` towards `x2`.

    >>> import capas as tf
    >>> float(tf.math.nextafter(tf.constant(1.0), tf.constant(2.0))) > 1.0
    True
    """
    x1, x2 = pair(x1, x2)
    return torch.nextafter(x1, x2)


@op
def angle(input, name=None):  # noqa: A002 - TF's argument name
    """The argument of a complex number (`atan2(imag, real)`); for real input 0, or pi where negative.

    >>> import capas as tf
    >>> tf.math.angle(tf.constant([-1.0, 2.0])).numpy().round(4).tolist()
    [3.1415998935699463, 0.0]
    """
    return torch.angle(to_tensor(input))


@op
def polyval(coeffs, x, name=None):
    """`coeffs[0] * x**(n-1) + ... + coeffs[n-1]` by Horner's rule.

    >>> import capas as tf
    >>> tf.math.polyval([1.0, 2.0, 3.0], tf.constant(2.0)).numpy().item()
    11.0
    """
    x = to_tensor(x)
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"tf.math.polyval: coeffs must be a list of tensors or numbers; got {type(coeffs).__name__}.")
    if not coeffs:
        return torch.zeros_like(x)
    result = to_tensor(coeffs[0], dtype=x.dtype) + torch.zeros_like(x)
    for c in coeffs[1:]:
        result = result * x + to_tensor(c, dtype=x.dtype)
    return result


@op
def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """`log(cumsum(exp(x)))` along `axis`, computed stably (`exclusive`/`reverse` as `tf.cumsum`).

    >>> import capas as tf
    >>> tf.math.cumulative_logsumexp(tf.constant([0.0, 0.0])).numpy().round(4).tolist()
    [0.0, 0.6930999755859375]
    """
    x = to_tensor(x)
    axis = int(axis)
    if reverse:
        x = torch.flip(x, [axis])
    out = torch.logcumsumexp(x, axis)
    if exclusive:
        pad_shape = list(out.shape)
        pad_shape[axis] = 1
        lowest = torch.full(pad_shape, -float("inf"), dtype=out.dtype, device=out.device)
        out = torch.cat([lowest, out.narrow(axis, 0, out.shape[axis] - 1)], axis)
    if reverse:
        out = torch.flip(out, [axis])
    return out


@op
def invert_permutation(x, name=None):
    """The inverse permutation `y` with `y[x[i]] = i` (1-D int tensor).

    >>> import capas as tf
    >>> tf.math.invert_permutation(tf.constant([2, 0, 1])).numpy().tolist()
    [1, 2, 0]
    """
    x = to_tensor(x)
    if x.dim() != 1:
        raise ValueError(f"tf.math.invert_permutation: x must be 1-D; got shape {tuple(x.shape)}.")
    out = torch.empty_like(x)
    out[x.long()] = torch.arange(x.shape[0], dtype=x.dtype, device=x.device)
    return out


@op
def is_non_decreasing(x, name=None):
    """True when each element (in flattened order) is >= the one before it.

    >>> import capas as tf
    >>> bool(tf.math.is_non_decreasing(tf.constant([1, 1, 2])))
    True
    """
    x = to_tensor(x).reshape(-1)
    return torch.all(x[1:] >= x[:-1])


@op
def is_strictly_increasing(x, name=None):
    """True when each element (in flattened order) is > the one before it.

    >>> import capas as tf
    >>> bool(tf.math.is_strictly_increasing(tf.constant([1, 1, 2])))
    False
    """
    x = to_tensor(x).reshape(-1)
    return torch.all(x[1:] > x[:-1])


@op
def scalar_mul(scalar, x, name=None):
    """`scalar * x` (a scalar times a tensor).

    >>> import capas as tf
    >>> tf.math.scalar_mul(2, tf.constant([1, 2])).numpy().tolist()
    [2, 4]
    """
    x = to_tensor(x)
    scalar_t = to_tensor(scalar)
    if scalar_t.dim() != 0:
        raise ValueError(f"tf.math.scalar_mul: scalar must be a scalar; got shape {tuple(scalar_t.shape)}.")
    return scalar * x


@op
def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The element-wise sum of a list of same-shape tensors (as `tf.math.add_n`).

    >>> import capas as tf
    >>> tf.math.accumulate_n([tf.constant([1, 2]), tf.constant([3, 4])]).numpy().tolist()
    [4, 6]
    """
    tensors = [to_tensor(t) for t in inputs]
    if not tensors:
        raise ValueError("tf.math.accumulate_n: inputs must be a non-empty list of tensors.")
    out = tensors[0]
    for t in tensors[1:]:
        out = out + t
    return out


# -- tensor_scatter_nd_{sub,max,min} -------------------------------------------------
def _scatter_reduce(tensor, indices, updates, reduce):
    base = to_tensor(tensor)
    shape = tuple(base.shape)
    idx = _index_tensor(indices, base.device)
    k = idx.shape[-1]
    flat_idx, rows = _scatter_flat_index(idx, shape)
    updates = to_tensor(updates).to(device=base.device, dtype=base.dtype)
    flat_updates = updates.reshape((-1,) + shape[k:])
    flat = base.reshape((rows,) + shape[k:])
    index = flat_idx.reshape((-1,) + (1,) * (flat_updates.dim() - 1)).expand_as(flat_updates)
    return flat.scatter_reduce(0, index, flat_updates, reduce, include_self=True).reshape(shape)


@op
def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` subtracted at `indices` (duplicates add up).

    >>> import capas as tf
    >>> tf.tensor_scatter_nd_sub(tf.constant([5, 5]), [[1], [1]], [1, 2]).numpy().tolist()
    [5, 2]
    """
    base = to_tensor(tensor)
    return _scatter_reduce_add(base, indices, -to_tensor(updates).to(base.dtype))


def _scatter_reduce_add(base, indices, updates):
    shape = tuple(base.shape)
    idx = _index_tensor(indices, base.device)
    k = idx.shape[-1]
    flat_idx, rows = _scatter_flat_index(idx, shape)
    flat = base.reshape((rows,) + shape[k:])
    return flat.index_add(0, flat_idx, updates.reshape((-1,) + shape[k:])).reshape(shape)


@op
def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of `tensor` where each indexed element is the max of itself and its updates.

    >>> import capas as tf
    >>> tf.tensor_scatter_nd_max(tf.constant([5, 5]), [[0], [1]], [9, 1]).numpy().tolist()
    [9, 5]
    """
    return _scatter_reduce(tensor, indices, updates, "amax")


@op
def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of `tensor` where each indexed element is the min of itself and its updates.

    >>> import capas as tf
    >>> tf.tensor_scatter_nd_min(tf.constant([5, 5]), [[0], [1]], [9, 1]).numpy().tolist()
    [5, 1]
    """
    return _scatter_reduce(tensor, indices, updates, "amin")


@op
def xdivy(x, y, name=None):
    """`x / y`, and 0 where `x == 0` (even when `y == 0`).

    >>> import capas as tf
    >>> tf.math.xdivy(tf.constant([0.0, 2.0]), tf.constant([0.0, 4.0])).numpy().tolist()
    [0.0, 0.5]
    """
    x, y = pair(x, y)
    return torch.where(x == 0, torch.zeros_like(x), x / y)


@op
def xlog1py(x, y, name=None):
    """`x * log1p(y)`, and 0 where `x == 0`."""
    x, y = pair(x, y)
    return torch.special.xlog1py(x, y)


@op
def zeta(x, q, name=None):
    """The Hurwitz zeta function: `sum((q + n) ** -x for n >= 0)`."""
    x, q = pair(x, q)
    return torch.special.zeta(x, q)


@op
def polygamma(a, x, name=None):
    """The `a`-th derivative of digamma at `x` (`a` a whole number, element-wise)."""
    a, x = pair(a, x)
    a, x = torch.broadcast_tensors(a, x)
    orders = a.reshape(-1)
    values = x.reshape(-1)
    out = torch.empty_like(values)
    for n in torch.unique(orders).tolist():
        mask = orders == n
        if n != int(n) or n < 0:
            out[mask] = float("nan")  # TF's value for a non-integer or negative order
        else:
            out[mask] = torch.special.polygamma(int(n), values[mask])
    return out.reshape(x.shape)


@op
def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, as a float32 scalar.

    >>> import capas as tf
    >>> float(tf.math.zero_fraction(tf.constant([0, 1, 0, 3])))
    0.5
    """
    value = to_tensor(value)
    if value.numel() == 0:
        return torch.tensor(float("nan"), dtype=torch.float32)
    return (value == 0).sum().to(torch.float32) / value.numel()


_TINY = 1e-300


def _beta_continued_fraction(a, b, x, iterations=300):
    """The continued fraction of the incomplete beta function, by the modified Lentz method (float64)."""

    def guard(v):
        return torch.where(torch.abs(v) < _TINY, torch.full_like(v, _TINY), v)

    c = torch.ones_like(x)
    d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0))
    h = d
    for m in range(1, iterations + 1):
        two_m = 2.0 * m
        even = m * (b - m) * x / ((a - 1.0 + two_m) * (a + two_m))
        d = 1.0 / guard(1.0 + even * d)
        c = guard(1.0 + even / c)
        h = h * d * c
        odd = -(a + m) * (a + b + m) * x / ((a + two_m) * (a + 1.0 + two_m))
        d = 1.0 / guard(1.0 + odd * d)
        c = guard(1.0 + odd / c)
        h = h * d * c
    return h


@op
def betainc(a, b, x, name=None):
    """The regularized incomplete beta function I_x(a, b) (NaN outside a, b > 0 and 0 <= x <= 1).

    Computed in float64 by a continued fraction (torch has no kernel for it), then cast back.

    >>> import capas as tf
    >>> round(float(tf.math.betainc(2.0, 3.0, 0.5)), 6)
    0.6875
    """
    a, b = pair(a, b)
    a, x = pair(a, x)
    b = b.to(a.dtype)
    a, b, x = torch.broadcast_tensors(a, b, x)
    da, db, dx = a.double(), b.double(), x.double()
    inside = (dx > 0) & (dx < 1)
    safe_x = torch.where(inside, dx, torch.full_like(dx, 0.5))
    log_front = (
        torch.lgamma(da + db) - torch.lgamma(da) - torch.lgamma(db) + da * torch.log(safe_x) + db * torch.log1p(-safe_x)
    )
    front = torch.exp(log_front)
    direct = front * _beta_continued_fraction(da, db, safe_x) / da
    flipped = 1.0 - front * _beta_continued_fraction(db, da, 1.0 - safe_x) / db
    value = torch.where(safe_x < (da + 1.0) / (da + db + 2.0), direct, flipped)
    value = torch.where(dx <= 0, torch.zeros_like(value), torch.where(dx >= 1, torch.ones_like(value), value))
    invalid = (da <= 0) | (db <= 0) | (dx < 0) | (dx > 1) | torch.isnan(dx)
    value = torch.where(invalid, torch.full_like(value, float("nan")), value)
    return value.to(a.dtype)
