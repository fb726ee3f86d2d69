"""Element-wise math, comparisons, logic and products (TF's `math_ops`).

Every op takes tensors, variables, numpy arrays, Python numbers and lists;
Python numbers adopt the dtype of the tensor they meet, as in TensorFlow.
`name=` is accepted and ignored everywhere.
"""

import torch

from capas.ops._convert import as_torch_dtype
from capas.ops._recording import op
from capas.ops._utils import pair, to_tensor

# -- arithmetic --------------------------------------------------------------


@op
def add(x, y, name=None):
    """`x + y` element-wise, with broadcasting."""
    x, y = pair(x, y, keep_scalars=True)
    return torch.add(x, y) if isinstance(x, torch.Tensor) else torch.add(y, x)


@op
def subtract(x, y, name=None):
    """`x - y` element-wise, with broadcasting."""
    x, y = pair(x, y, keep_scalars=True)
    return torch.sub(x, y) if isinstance(x, torch.Tensor) else torch.rsub(y, x)


@op
def multiply(x, y, name=None):
    """`x * y` element-wise, with broadcasting."""
    x, y = pair(x, y, keep_scalars=True)
    return torch.mul(x, y) if isinstance(x, torch.Tensor) else torch.mul(y, x)


def _true_dtype(dtype):
    # TF's truediv: int8/int16/uint8/uint16 -> float32, wider integers -> float64.
    if dtype in (torch.int8, torch.int16, torch.uint8, torch.uint16, torch.bool):
        return torch.float32
    return torch.float64


@op
def divide(x, y, name=None):
    """`x / y` element-wise (true division: integers give floats, as in TF).

    Example:

    >>> import capas as tf
    >>> tf.divide(tf.constant([1, 2]), 2).dtype
    torch.float64
    """
    x, y = pair(x, y)
    if not (x.is_floating_point() or x.is_complex() or y.is_floating_point() or y.is_complex()):
        dtype = _true_dtype(x.dtype)
        x, y = x.to(dtype), y.to(dtype)
    return torch.div(x, y)


truediv = divide


@op
def floordiv(x, y, name=None):
    """`x // y` element-wise (rounds toward minus infinity)."""
    x, y = pair(x, y)
    return torch.floor_divide(x, y)


@op
def floormod(x, y, name=None):
    """Remainder of `floordiv`: the result has the sign of `y` (TF's `tf.math.floormod`)."""
    x, y = pair(x, y)
    return torch.remainder(x, y)


mod = floormod


@op
def truncatemod(x, y, name=None):
    """Remainder of truncated division: the result has the sign of `x`."""
    x, y = pair(x, y)
    return torch.fmod(x, y)


@op
def divide_no_nan(x, y, name=None):
    """`x / y`, with 0 wherever `y` is 0."""
    x, y = pair(x, y)
    safe = torch.where(y == 0, torch.ones_like(y), y)
    return torch.where(y == 0, torch.zeros((), dtype=x.dtype, device=x.device), x / safe)


@op
def multiply_no_nan(x, y, name=None):
    """`x * y`, with 0 wherever `y` is 0 (even where `x` is inf or nan)."""
    x, y = pair(x, y)
    return torch.where(y == 0, torch.zeros((), dtype=x.dtype, device=x.device), x * y)


@op
def squared_difference(x, y, name=None):
    """`(x - y) ** 2` element-wise."""
    x, y = pair(x, y, keep_scalars=True)
    diff = torch.sub(x, y) if isinstance(x, torch.Tensor) else torch.rsub(y, x)
    return diff * diff


@op
def pow(x, y, name=None):  # noqa: A001 - TensorFlow's name
    """`x ** y` element-wise."""
    x, y = pair(x, y, keep_scalars=True)
    return torch.pow(x, y)


@op
def maximum(x, y, name=None):
    """The element-wise maximum of `x` and `y`, with broadcasting."""
    x, y = pair(x, y)
    return torch.maximum(x, y)


@op
def minimum(x, y, name=None):
    """The element-wise minimum of `x` and `y`, with broadcasting."""
    x, y = pair(x, y)
    return torch.minimum(x, y)


@op
def add_n(inputs, name=None):
    """The element-wise sum of a list of tensors of the same shape and dtype."""
    inputs = [to_tensor(t) for t in inputs]
    if not inputs:
        raise ValueError("tf.math.add_n() needs at least one tensor; received an empty list.")
    shapes = {tuple(t.shape) for t in inputs}
    if len(shapes) > 1:
        raise ValueError(f"tf.math.add_n() needs tensors of one shape; received shapes {sorted(shapes)}.")
    total = inputs[0]
    for t in inputs[1:]:
        total = total + t
    return total


# -- unary -------------------------------------------------------------------


def _unary(name, torch_fn, doc):
    @op
    def fn(x, name=None):
        return torch_fn(to_tensor(x))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


negative = _unary("negative", torch.neg, "`-x` element-wise.")
abs = _unary("abs", torch.abs, "The absolute value of `x` element-wise.")  # noqa: A001 - TF's name
sign = _unary("sign", torch.sign, "-1, 0 or 1 according to the sign of `x`, element-wise.")
square = _unary("square", torch.square, "`x * x` element-wise.")
sqrt = _unary("sqrt", torch.sqrt, "The square root of `x` element-wise.")
rsqrt = _unary("rsqrt", torch.rsqrt, "`1 / sqrt(x)` element-wise.")
exp = _unary("exp", torch.exp, "`e ** x` element-wise.")
expm1 = _unary("expm1", torch.expm1, "`exp(x) - 1` element-wise, accurate near 0.")
log = _unary("log", torch.log, "The natural logarithm of `x` element-wise.")
log1p = _unary("log1p", torch.log1p, "`log(1 + x)` element-wise, accurate near 0.")
reciprocal = _unary("reciprocal", torch.reciprocal, "`1 / x` element-wise.")
floor = _unary("floor", torch.floor, "The largest integer not greater than `x`, element-wise.")
ceil = _unary("ceil", torch.ceil, "The smallest integer not less than `x`, element-wise.")
round = _unary("round", torch.round, "`x` rounded to the nearest integer, halves to even (TF's rule).")  # noqa: A001
sin = _unary("sin", torch.sin, "The sine of `x` element-wise.")
cos = _unary("cos", torch.cos, "The cosine of `x` element-wise.")
tan = _unary("tan", torch.tan, "The tangent of `x` element-wise.")
asin = _unary("asin", torch.asin, "The inverse sine of `x` element-wise.")
acos = _unary("acos", torch.acos, "The inverse cosine of `x` element-wise.")
atan = _unary("atan", torch.atan, "The inverse tangent of `x` element-wise.")
sinh = _unary("sinh", torch.sinh, "The hyperbolic sine of `x` element-wise.")
cosh = _unary("cosh", torch.cosh, "The hyperbolic cosine of `x` element-wise.")
tanh = _unary("tanh", torch.tanh, "The hyperbolic tangent of `x` element-wise.")
asinh = _unary("asinh", torch.asinh, "The inverse hyperbolic sine of `x` element-wise.")
acosh = _unary("acosh", torch.acosh, "The inverse hyperbolic cosine of `x` element-wise.")
atanh = _unary("atanh", torch.atanh, "The inverse hyperbolic tangent of `x` element-wise.")
sigmoid = _unary("sigmoid", torch.sigmoid, "`1 / (1 + exp(-x))` element-wise.")
log_sigmoid = _unary("log_sigmoid", torch.nn.functional.logsigmoid, "`log(sigmoid(x))` element-wise, computed stably.")
softplus = _unary("softplus", torch.nn.functional.softplus, "`log(exp(x) + 1)` element-wise.")
erf = _unary("erf", torch.erf, "The Gauss error function of `x` element-wise.")
erfc = _unary("erfc", torch.erfc, "The complementary error function `1 - erf(x)`, element-wise.")
erfinv = _unary("erfinv", torch.erfinv, "The inverse of the error function, element-wise.")
lgamma = _unary("lgamma", torch.lgamma, "`log(abs(gamma(x)))` element-wise.")
digamma = _unary("digamma", torch.digamma, "The derivative of `lgamma`, element-wise.")
real = _unary("real", torch.real, "The real part of `x` (`x` itself for real tensors).")
imag = _unary("imag", lambda x: torch.imag(x) if x.is_complex() else torch.zeros_like(x), "The imaginary part of `x`.")
conj = _unary("conj", torch.conj_physical, "The complex conjugate of `x` (`x` itself for real tensors).")
is_nan = _unary("is_nan", torch.isnan, "True where `x` is NaN.")
is_inf = _unary("is_inf", torch.isinf, "True where `x` is +inf or -inf.")
is_finite = _unary("is_finite", torch.isfinite, "True where `x` is neither inf nor NaN.")
logical_not = _unary("logical_not", torch.logical_not, "Element-wise logical NOT.")


@op
def atan2(y, x, name=None):
    """The angle of the point `(x, y)`, element-wise: `atan(y / x)` in the right quadrant."""
    y, x = pair(y, x)
    return torch.atan2(y, x)


@op
def xlogy(x, y, name=None):
    """`x * log(y)`, with 0 wherever `x` is 0."""
    x, y = pair(x, y)
    return torch.xlogy(x, y)


@op
def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums of the rows of `data` that share a segment id: `out[i] = sum(data[segment_ids == i])`.

    Args:
        data: a tensor whose leading axes match `segment_ids`.
        segment_ids: integer ids in `[0, num_segments)`; others are dropped, as in TF.
        num_segments: the number of output rows.
    """
    data = to_tensor(data)
    ids = to_tensor(segment_ids).to(device=data.device, dtype=torch.int64)
    k = ids.dim()
    flat = data.reshape((-1,) + tuple(data.shape[k:]))
    ids = ids.reshape(-1)
    n = int(num_segments)
    valid = (ids >= 0) & (ids < n)
    ids = torch.where(valid, ids, n)  # out-of-range rows go to a dropped extra segment
    out = torch.zeros((n + 1,) + tuple(flat.shape[1:]), dtype=data.dtype, device=data.device)
    return out.index_add(0, ids, flat)[:n]


# -- comparisons and logic ---------------------------------------------------


def _binary(name, torch_fn, doc):
    @op
    def fn(x, y, name=None):
        x, y = pair(x, y)
        return torch_fn(x, y)

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = name
    return fn


equal = _binary("equal", torch.eq, "True where `x == y`, element-wise with broadcasting.")
not_equal = _binary("not_equal", torch.ne, "True where `x != y`, element-wise with broadcasting.")
greater = _binary("greater", torch.gt, "True where `x > y`, element-wise with broadcasting.")
greater_equal = _binary("greater_equal", torch.ge, "True where `x >= y`, element-wise with broadcasting.")
less = _binary("less", torch.lt, "True where `x < y`, element-wise with broadcasting.")
less_equal = _binary("less_equal", torch.le, "True where `x <= y`, element-wise with broadcasting.")
logical_and = _binary("logical_and", torch.logical_and, "Element-wise logical AND.")
logical_or = _binary("logical_or", torch.logical_or, "Element-wise logical OR.")
logical_xor = _binary("logical_xor", torch.logical_xor, "Element-wise logical XOR.")


# -- dtype and range ---------------------------------------------------------


@op
def cast(x, dtype, name=None):
    """`x` converted to `dtype` (floats to integers truncate toward zero, as in TF).

    Args:
        x: a tensor, array, number or list.
        dtype: the target dtype (`'float32'`, `tf.int32`, a TF enum value...).

    Returns:
        A tensor of `dtype` (`x` itself when it already has it).

    Example:

    >>> import capas as tf
    >>> tf.cast(tf.constant([1.7, -1.7]), tf.int32).tolist()
    [1, -1]
    """
    dtype = as_torch_dtype(dtype)
    x = to_tensor(x)
    if x.dtype == dtype:
        return x
    if x.is_complex() and not dtype.is_complex:
        x = x.real
    return x.to(dtype)


@op
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clip `t` element-wise to `[clip_value_min, clip_value_max]` (bounds broadcast)."""
    t = to_tensor(t)
    if isinstance(clip_value_min, (int, float)) and isinstance(clip_value_max, (int, float)):
        return torch.clamp(t, clip_value_min, clip_value_max)
    lo = pair(t, clip_value_min)[1]
    hi = pair(t, clip_value_max)[1]
    return torch.clamp(t, lo, hi)


@op
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescale `t` so that its L2 norm (over `axes`, or all) is at most `clip_norm`."""
    t = to_tensor(t)
    dims = None if axes is None else ([axes] if isinstance(axes, int) else list(axes))
    norm = torch.sqrt(torch.sum(t * t, dim=dims, keepdim=True))
    clip_norm = pair(t, clip_norm)[1]
    return t * clip_norm / torch.maximum(norm, clip_norm)


@op
def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor in `t_list` by `clip_norm / max(global_norm, clip_norm)`.

    Returns:
        `(list_clipped, global_norm)`; None entries stay None.
    """
    tensors = [None if t is None else to_tensor(t) for t in t_list]
    present = [t for t in tensors if t is not None]
    if use_norm is None:
        if not present:
            return list(tensors), torch.tensor(0.0)
        use_norm = torch.sqrt(sum(torch.sum(t.float() * t.float()) for t in present))
    use_norm = to_tensor(use_norm)
    scale = clip_norm / torch.maximum(
        use_norm, torch.as_tensor(clip_norm, dtype=use_norm.dtype, device=use_norm.device)
    )
    clipped = [None if t is None else t * scale.to(t.dtype) for t in tensors]
    return clipped, use_norm


# -- products ----------------------------------------------------------------


@op
def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    """The matrix product `a @ b` over the last two axes (leading axes broadcast).

    Args:
        a, b: tensors of rank >= 2 (same dtype).
        transpose_a, transpose_b: transpose the last two axes first.
        adjoint_a, adjoint_b: conjugate and transpose the last two axes first.
        output_type: optional dtype of the result.

    Returns:
        A tensor of shape `[..., M, N]`.

    Example:

    >>> import capas as tf
    >>> tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)), transpose_b=True).shape
    torch.Size([2, 2])
    """
    a, b = pair(a, b)
    if transpose_a and adjoint_a or transpose_b and adjoint_b:
        raise ValueError("tf.matmul: transpose_* and adjoint_* cannot both be True for one operand.")
    if transpose_a:
        a = a.mT
    elif adjoint_a:
        a = a.mH
    if transpose_b:
        b = b.mT
    elif adjoint_b:
        b = b.mH
    try:
        out = torch.matmul(a, b)
    except RuntimeError as exc:
        raise ValueError(
            f"tf.matmul: cannot multiply a of shape {tuple(a.shape)} (dtype {a.dtype}) by b of shape "
            f"{tuple(b.shape)} (dtype {b.dtype}) (after transposes). The last axis of a must equal the "
            "second-to-last axis of b and dtypes must match; use transpose_a/transpose_b or tf.cast."
        ) from exc
    if output_type is not None:
        out = out.to(as_torch_dtype(output_type))
    return out


@op
def tensordot(a, b, axes, name=None):
    """Sum the products of `a` and `b` over the given axes.

    Args:
        a, b: tensors.
        axes: an int N (the last N axes of `a` with the first N of `b`), a pair
            of ints, or a pair of lists of axes.
    """
    a, b = pair(a, b)
    if isinstance(axes, torch.Tensor):
        axes = axes.tolist()
    if not isinstance(axes, int):
        first, second = axes
        first = [first] if isinstance(first, int) else list(first)
        second = [second] if isinstance(second, int) else list(second)
        axes = (first, second)
    return torch.tensordot(a, b, dims=axes)


@op
def einsum(equation, *inputs, name=None, **kwargs):
    """Tensor contraction written in Einstein notation (`'ij,jk->ik'`)."""
    return torch.einsum(equation, *[to_tensor(t) for t in inputs])
