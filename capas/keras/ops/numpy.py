"""keras.ops' numpy-like ops: element-wise math, reductions, creation, shapes and indexing.

Names, signatures and dtype rules are Keras 3's (integers become floatx in
float-valued ops such as `mean` or `sin`; arg-reductions return int32).
"""

import torch

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import pair as _pair
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f
from capas.ops._convert import as_torch_dtype


def _dtype(dtype):
    return as_torch_dtype(dtype)


def _int32(x):
    return x.to(torch.int32)


# -- element-wise, one operand --------------------------------------------------------------
@keras_op
def abs(x):
    """`|x|`, element-wise.

    Example:

    >>> from capas import keras
    >>> keras.ops.abs([-1.5, 2.0]).tolist()
    [1.5, 2.0]
    """
    return torch.abs(_t(x))


absolute = abs


@keras_op
def fabs(x):
    """`|x|`, element-wise, as floats (integers and booleans become floatx first).

    Example:

    >>> from capas import keras
    >>> keras.ops.fabs([-2, 3]).tolist()
    [2.0, 3.0]
    """
    return torch.abs(_f(x))


@keras_op
def negative(x):
    """`-x`, element-wise."""
    return torch.neg(_t(x))


@keras_op
def sign(x):
    """The sign of `x` (-1, 0 or 1), element-wise."""
    return torch.sign(_t(x))


@keras_op
def square(x):
    """`x * x`, element-wise (booleans become int32)."""
    x = _t(x)
    return torch.square(x.to(torch.int32) if x.dtype == torch.bool else x)


@keras_op
def sqrt(x):
    """Square root, element-wise."""
    return torch.sqrt(_f(x))


@keras_op
def rsqrt(x):
    """`1 / sqrt(x)`, element-wise."""
    return torch.rsqrt(_f(x))


@keras_op
def cbrt(x):
    """Cube root, element-wise."""
    x = _f(x)
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


@keras_op
def exp(x):
    """`e ** x`, element-wise."""
    return torch.exp(_f(x))


@keras_op
def exp2(x):
    """`2 ** x`, element-wise."""
    return torch.exp2(_f(x))


@keras_op
def expm1(x):
    """`exp(x) - 1`, element-wise."""
    return torch.expm1(_f(x))


@keras_op
def log(x):
    """Natural logarithm, element-wise."""
    return torch.log(_f(x))


@keras_op
def log2(x):
    """Base-2 logarithm, element-wise."""
    return torch.log2(_f(x))


@keras_op
def log10(x):
    """Base-10 logarithm, element-wise."""
    return torch.log10(_f(x))


@keras_op
def log1p(x):
    """`log(1 + x)`, element-wise."""
    return torch.log1p(_f(x))


@keras_op
def sin(x):
    """Sine, element-wise."""
    return torch.sin(_f(x))


@keras_op
def cos(x):
    """Cosine, element-wise."""
    return torch.cos(_f(x))


@keras_op
def tan(x):
    """Tangent, element-wise."""
    return torch.tan(_f(x))


@keras_op
def arcsin(x):
    """Inverse sine, element-wise."""
    return torch.asin(_f(x))


@keras_op
def arccos(x):
    """Inverse cosine, element-wise."""
    return torch.acos(_f(x))


@keras_op
def arctan(x):
    """Inverse tangent, element-wise."""
    return torch.atan(_f(x))


@keras_op
def sinh(x):
    """Hyperbolic sine, element-wise."""
    return torch.sinh(_f(x))


@keras_op
def cosh(x):
    """Hyperbolic cosine, element-wise."""
    return torch.cosh(_f(x))


@keras_op
def tanh(x):
    """Hyperbolic tangent, element-wise."""
    return torch.tanh(_f(x))


@keras_op
def arcsinh(x):
    """Inverse hyperbolic sine, element-wise."""
    return torch.asinh(_f(x))


@keras_op
def arccosh(x):
    """Inverse hyperbolic cosine, element-wise."""
    return torch.acosh(_f(x))


@keras_op
def arctanh(x):
    """Inverse hyperbolic tangent, element-wise."""
    return torch.atanh(_f(x))


@keras_op
def deg2rad(x):
    """Degrees to radians, element-wise."""
    return torch.deg2rad(_f(x))


@keras_op
def rad2deg(x):
    """Radians to degrees, element-wise."""
    return torch.rad2deg(_f(x))


@keras_op
def floor(x):
    """Largest integer not above `x`, element-wise (floats out)."""
    return torch.floor(_f(x))


@keras_op
def ceil(x):
    """Smallest integer not below `x`, element-wise (floats out)."""
    return torch.ceil(_f(x))


@keras_op
def trunc(x):
    """`x` rounded toward zero, element-wise."""
    x = _t(x)
    return torch.trunc(x) if x.is_floating_point() else x


@keras_op
def round(x, decimals=0):
    """`x` rounded to `decimals` decimals (half to even), element-wise."""
    x = _t(x)
    return torch.round(x, decimals=decimals) if x.is_floating_point() else x


@keras_op
def reciprocal(x):
    """`1 / x`, element-wise."""
    return torch.reciprocal(_f(x))


@keras_op
def isnan(x):
    """Whether `x` is NaN, element-wise."""
    return torch.isnan(_t(x))


@keras_op
def isinf(x):
    """Whether `x` is infinite, element-wise."""
    return torch.isinf(_t(x))


@keras_op
def isfinite(x):
    """Whether `x` is finite, element-wise."""
    return torch.isfinite(_t(x))


@keras_op
def signbit(x):
    """Whether the sign bit of `x` is set, element-wise."""
    return torch.signbit(_t(x))


@keras_op
def logical_not(x):
    """`not x`, element-wise."""
    return torch.logical_not(_t(x))


@keras_op
def conj(x):
    """Complex conjugate, element-wise."""
    return torch.conj(_t(x))


conjugate = conj


@keras_op
def real(x):
    """The real part of `x`."""
    x = _t(x)
    return torch.real(x) if x.is_complex() else x


@keras_op
def imag(x):
    """The imaginary part of `x`."""
    x = _t(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replace NaN and infinities by finite numbers."""
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def copy(x):
    """A copy of `x`."""
    return _t(x).clone()


@keras_op
def erf(x):
    """The error function, element-wise."""
    return torch.erf(_f(x))


@keras_op
def erfinv(x):
    """The inverse error function, element-wise."""
    return torch.erfinv(_f(x))


# -- element-wise, two operands -------------------------------------------------------------
def _binary(torch_fn, doc, floats=False):
    def fn(x1, x2):
        a, b = _pair(x1, x2)
        if floats:
            a, b = _f(a), _f(b)
        return torch_fn(a, b)

    fn.__doc__ = doc
    return fn


add = keras_op(_binary(torch.add, "`x1 + x2`, element-wise with broadcasting."))
subtract = keras_op(_binary(torch.subtract, "`x1 - x2`, element-wise with broadcasting."))
multiply = keras_op(_binary(torch.multiply, "`x1 * x2`, element-wise with broadcasting."))
divide = keras_op(_binary(torch.true_divide, "`x1 / x2` (true division), element-wise.", floats=True))
true_divide = divide
floor_divide = keras_op(_binary(torch.floor_divide, "`x1 // x2`, element-wise."))
mod = keras_op(_binary(torch.remainder, "`x1 % x2` (sign of the divisor), element-wise."))
fmod = keras_op(_binary(torch.fmod, "Remainder with the sign of the dividend, element-wise."))
power = keras_op(_binary(torch.pow, "`x1 ** x2`, element-wise."))
maximum = keras_op(_binary(torch.maximum, "The larger of `x1` and `x2`, element-wise."))
minimum = keras_op(_binary(torch.minimum, "The smaller of `x1` and `x2`, element-wise."))
equal = keras_op(_binary(torch.eq, "`x1 == x2`, element-wise."))
not_equal = keras_op(_binary(torch.ne, "`x1 != x2`, element-wise."))
greater = keras_op(_binary(torch.gt, "`x1 > x2`, element-wise."))
greater_equal = keras_op(_binary(torch.ge, "`x1 >= x2`, element-wise."))
less = keras_op(_binary(torch.lt, "`x1 < x2`, element-wise."))
less_equal = keras_op(_binary(torch.le, "`x1 <= x2`, element-wise."))
logical_and = keras_op(_binary(torch.logical_and, "`x1 and x2`, element-wise."))
logical_or = keras_op(_binary(torch.logical_or, "`x1 or x2`, element-wise."))
logical_xor = keras_op(_binary(torch.logical_xor, "`x1 xor x2`, element-wise."))
arctan2 = keras_op(_binary(torch.atan2, "The angle of the point `(x2, x1)`, element-wise.", floats=True))
hypot = keras_op(_binary(torch.hypot, "`sqrt(x1**2 + x2**2)`, element-wise.", floats=True))
logaddexp = keras_op(_binary(torch.logaddexp, "`log(exp(x1) + exp(x2))`, element-wise.", floats=True))
heaviside = keras_op(_binary(torch.heaviside, "The Heaviside step of `x1` (`x2` where `x1 == 0`)."))
gcd = keras_op(_binary(torch.gcd, "Greatest common divisor, element-wise."))
lcm = keras_op(_binary(torch.lcm, "Least common multiple, element-wise."))
for _name, _fn in [
    ("add", add),
    ("subtract", subtract),
    ("multiply", multiply),
    ("divide", divide),
    ("floor_divide", floor_divide),
    ("mod", mod),
    ("fmod", fmod),
    ("power", power),
    ("maximum", maximum),
    ("minimum", minimum),
    ("equal", equal),
    ("not_equal", not_equal),
    ("greater", greater),
    ("greater_equal", greater_equal),
    ("less", less),
    ("less_equal", less_equal),
    ("logical_and", logical_and),
    ("logical_or", logical_or),
    ("logical_xor", logical_xor),
    ("arctan2", arctan2),
    ("hypot", hypot),
    ("logaddexp", logaddexp),
    ("heaviside", heaviside),
    ("gcd", gcd),
    ("lcm", lcm),
]:
    _fn.__name__ = _fn.__qualname__ = _name


@keras_op
def divide_no_nan(x1, x2):
    """`x1 / x2`, with 0 where `x2 == 0`."""
    a, b = _pair(x1, x2)
    a, b = _f(a), _f(b)
    return torch.where(b == 0, torch.zeros((), dtype=torch.result_type(a, b)), a / torch.where(b == 0, 1, b))


@keras_op
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `x1` and `x2` are equal within tolerances, element-wise."""
    a, b = _pair(x1, x2)
    return torch.isclose(a, b.to(a.dtype), rtol=rtol, atol=atol, equal_nan=equal_nan)


@keras_op
def clip(x, x_min, x_max):
    """`x` limited to `[x_min, x_max]`."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clamp(x, x_min, x_max)


@keras_op
def where(condition, x1=None, x2=None):
    """`x1` where `condition` holds, else `x2` (or, with one argument, the indices where it holds)."""
    condition = _t(condition).to(torch.bool)
    if x1 is None and x2 is None:
        return tuple(torch.nonzero(condition, as_tuple=True))
    a, b = _pair(x1, x2)
    return torch.where(condition, a, b)


@keras_op
def fmax(x1, x2):
    """The larger of `x1` and `x2`, ignoring NaN, element-wise."""
    return torch.fmax(*_pair(x1, x2))


@keras_op
def fmin(x1, x2):
    """The smaller of `x1` and `x2`, ignoring NaN, element-wise."""
    return torch.fmin(*_pair(x1, x2))


@keras_op
def logaddexp2(x1, x2):
    """`log2(2**x1 + 2**x2)`, element-wise."""
    a, b = _pair(x1, x2)
    return torch.logaddexp2(_f(a), _f(b))


@keras_op
def ldexp(x1, x2):
    """`x1 * 2**x2`, element-wise."""
    a, b = _pair(x1, x2)
    return torch.ldexp(_f(a), b)


@keras_op
def nextafter(x1, x2):
    """The next float after `x1` toward `x2`, element-wise."""
    a, b = _pair(x1, x2)
    a, b = _f(a), _f(b)
    return torch.nextafter(a, b.to(a.dtype))


@keras_op
def isneginf(x):
    """Whether `x` is -inf, element-wise."""
    return torch.isneginf(_t(x))


@keras_op
def isposinf(x):
    """Whether `x` is +inf, element-wise."""
    return torch.isposinf(_t(x))


@keras_op
def isreal(x):
    """Whether `x` has no imaginary part, element-wise."""
    return torch.isreal(_t(x))


@keras_op
def sinc(x):
    """`sin(pi x) / (pi x)`, element-wise (1 at 0)."""
    return torch.sinc(_f(x))


@keras_op
def i0(x):
    """The modified Bessel function of order 0, element-wise."""
    return torch.i0(_f(x))


@keras_op
def angle(x):
    """The argument of complex `x` (0 or pi for real `x`)."""
    return torch.angle(_f(x))


@keras_op
def empty_like(x, dtype=None):
    """An uninitialized tensor shaped like `x`."""
    return torch.empty_like(_t(x), dtype=as_torch_dtype(dtype))
