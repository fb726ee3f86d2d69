"""`tf.debugging` asserts: value checks that raise `tf.errors.InvalidArgumentError` as TF does.

Value checks (`assert_equal`, `assert_positive`, `Assert`, `check_numerics`, ...) run when
the op runs. Inside a `tf.function` they are recorded in the trace like `tf.print`, so
they raise on every call whose values fail, not only while tracing. Static checks
(rank, dtype, shapes) raise `ValueError`/`TypeError` at once, as TF raises them while
building the graph. The messages start as TF's do (`Condition x == y did not hold.`).
"""

import numpy as np
import torch

from capas import errors
from capas._function._trace import current_recorder
from capas.ops._convert import convert_to_tensor, dtype_name
from capas.ops.dtypes import as_dtype

_INTEGER = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.uint16, torch.uint32, torch.uint64)


def _tensor(x):
    if isinstance(x, torch.Tensor):
        return x
    return convert_to_tensor(x)


def _np(t):
    return t.detach().cpu().numpy()


def _checked(check, template, tensors):
    """Run `check(template, *tensors)` now, or record it in the enclosing tf.function trace."""
    recorder = current_recorder()
    if recorder is not None:
        recorder.record_call(check, template, list(tensors))
        return
    check(template, *tensors)


# -- binary comparisons --------------------------------------------------------
_BINARY = {
    "assert_equal": ("==", torch.eq),
    "assert_none_equal": ("!=", torch.ne),
    "assert_less": ("<", torch.lt),
    "assert_less_equal": ("<=", torch.le),
    "assert_greater": (">", torch.gt),
    "assert_greater_equal": (">=", torch.ge),
}


def _prefix(message):
    return f"{message}\n" if message else ""


def _binary_check(template, ok, x, y):
    if bool(ok.all()):
        return
    symbol, message, summarize = template
    bx, by = torch.broadcast_tensors(x, y)
    fail = ~ok
    indices = _np(torch.nonzero(fail))[:summarize]
    xs = _np(bx[fail])[:summarize]
    ys = _np(by[fail])[:summarize]
    fx = _np(x.reshape(-1))[:summarize]
    fy = _np(y.reshape(-1))[:summarize]
    raise errors.InvalidArgumentError(
        None,
        None,
        f"{_prefix(message)}Condition x {symbol} y did not hold.\n"
        f"Indices of first {len(indices)} different values:\n{indices}\n"
        f"Corresponding x values:\n{xs}\nCorresponding y values:\n{ys}\n"
        f"First {len(fx)} elements of x:\n{fx}\nFirst {len(fy)} elements of y:\n{fy}",
    )


def _binary(name):
    symbol, compare = _BINARY[name]

    def assert_op(x, y, message=None, summarize=None, name=None):
        x, y = _tensor(x), _tensor(y)
        if not isinstance(y, torch.Tensor) or y.dtype != x.dtype:
            y = convert_to_tensor(y, dtype=x.dtype)
        try:
            ok = compare(x, y)
        except RuntimeError:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"{_prefix(message)}Incompatible shapes: {list(x.shape)} vs. {list(y.shape)}\n"
                f"tf.debugging.{assert_op.__name__}: x and y must broadcast to one shape.",
            ) from None
        _checked(_binary_check, (symbol, message, summarize or 3), (ok, x, y))

    assert_op.__name__ = name
    assert_op.__qualname__ = name
    passing = {"==": "[1, 2], [1, 2]", "!=": "[1, 2], [3, 4]", "<": "[1, 2], [3, 4]", "<=": "[1, 2], [1, 4]"}
    passing.update({">": "[3, 4], [1, 2]", ">=": "[1, 4], [1, 2]"})
    assert_op.__doc__ = f"""Raise `tf.errors.InvalidArgumentError` unless `x {symbol} y` holds element-wise.

    Returns None (eagerly, as TF 2). Inside a `tf.function` the check runs on every call.
    The message starts `Condition x {symbol} y did not hold.`, then lists the failing indices.

    >>> import capas as tf
    >>> tf.debugging.{name}({passing[symbol]})
    """
    return assert_op


assert_equal = _binary("assert_equal")
assert_none_equal = _binary("assert_none_equal")
assert_less = _binary("assert_less")
assert_less_equal = _binary("assert_less_equal")
assert_greater = _binary("assert_greater")
assert_greater_equal = _binary("assert_greater_equal")


# -- sign checks ------------------------------------------------------------------
def _unary_check(template, ok, x):
    if bool(ok.all()):
        return
    condition, message, summarize = template
    values = [str(v) for v in _np(x.reshape(-1))[:summarize].tolist()]
    raise errors.InvalidArgumentError(
        None,
        None,
        f"{message or ''}\nCondition {condition} did not hold element-wise:\n"
        f"x (shape={tuple(x.shape)} dtype={dtype_name(x.dtype)}) = \n{values}",
    )


def _sign(name, condition, compare):
    def assert_op(x, message=None, summarize=None, name=None):
        x = _tensor(x)
        ok = compare(x, torch.zeros((), dtype=x.dtype, device=x.device))
        _checked(_unary_check, (condition, message, summarize or 3), (ok, x))

    assert_op.__name__ = name
    assert_op.__qualname__ = name
    assert_op.__doc__ = f"""Raise `tf.errors.InvalidArgumentError` unless `{condition}` holds element-wise.

    >>> import capas as tf
    >>> tf.debugging.{name}(tf.constant([{"-1.0" if "<" in condition else "1.0"}]))
    """
    return assert_op


assert_positive = _sign("assert_positive", "x > 0", torch.gt)
assert_negative = _sign("assert_negative", "x < 0", torch.lt)
assert_non_negative = _sign("assert_non_negative", "x >= 0", torch.ge)
assert_non_positive = _sign("assert_non_positive", "x <= 0", torch.le)


# -- Assert, assert_near, check_numerics --------------------------------------------
def _show(item, summarize):
    if isinstance(item, torch.Tensor):
        return ", ".join(str(v) for v in _np(item.reshape(-1))[:summarize].tolist())
    if isinstance(item, str):
        return repr(item.encode())
    return str(item)


def _assert_check(template, condition, *tensors):
    if bool(condition):
        return
    data, summarize = template
    shown = []
    for item in data:
        shown.append(_show(tensors[item.index] if isinstance(item, _Slot) else item, summarize))
    raise errors.InvalidArgumentError(
        None,
        None,
        "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: " + "\n".join(shown),
    )


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """Raise `tf.errors.InvalidArgumentError` showing `data` when the scalar `condition` is False.

    >>> import capas as tf
    >>> tf.debugging.Assert(tf.constant(True), ["never shown"])
    """
    condition = _tensor(condition)
    if condition.dtype != torch.bool or condition.dim() != 0:
        raise ValueError(
            f"tf.debugging.Assert: condition must be a scalar bool tensor; got shape "
            f"{tuple(condition.shape)} dtype {dtype_name(condition.dtype)}. Reduce it first, e.g. "
            f"tf.reduce_all(x > 0)."
        )
    tensors = []
    template = []
    for item in data:
        if isinstance(item, torch.Tensor):
            template.append(_Slot(len(tensors)))
            tensors.append(item)
        else:
            template.append(item)
    _checked(_assert_check, (template, summarize or 3), (condition, *tensors))


def _eps_times_ten(dtype):
    return 10 * torch.finfo(dtype).eps


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Raise unless `|x - y| <= atol + rtol * |y|` element-wise (default tolerances: 10 * eps).

    >>> import capas as tf
    >>> tf.debugging.assert_near(tf.constant([1.0]), tf.constant([1.0000001]))
    """
    x = _tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    rtol = _eps_times_ten(x.dtype) if rtol is None else rtol
    atol = _eps_times_ten(x.dtype) if atol is None else atol
    rtol_t = torch.as_tensor(rtol, dtype=x.dtype)
    atol_t = torch.as_tensor(atol, dtype=x.dtype)
    ok = torch.all(torch.abs(x - y) <= atol_t + rtol_t * torch.abs(y))
    data = [
        message or "",
        f"x and y not equal to tolerance rtol = {float(rtol_t):.8g}, atol = {float(atol_t):.8g}",
        f"x (shape={tuple(x.shape)} dtype={dtype_name(x.dtype)}) = ",
        _Slot(0),
        f"y (shape={tuple(y.shape)} dtype={dtype_name(y.dtype)}) = ",
        _Slot(1),
    ]
    _checked(_assert_check, (data, summarize or 3), (ok, x, y))


def _numerics_check(template, x):
    has_nan = bool(torch.isnan(x).any())
    has_inf = bool(torch.isinf(x).any())
    if not (has_nan or has_inf):
        return
    what = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
    raise errors.InvalidArgumentError(None, None, f"{template} : Tensor had {what} values [Op:CheckNumerics]")


def check_numerics(tensor, message, name=None):
    """Return `tensor`, raising `InvalidArgumentError` ('<message> : Tensor had NaN values') on NaN/Inf.

    >>> import capas as tf
    >>> tf.debugging.check_numerics(tf.constant([1.0]), "x").numpy()
    array([1.], dtype=float32)
    """
    tensor = _tensor(tensor)
    if not (tensor.dtype.is_floating_point or tensor.dtype.is_complex):
        raise TypeError(
            f"tf.debugging.check_numerics: expected a floating-point tensor; got "
            f"{dtype_name(tensor.dtype)}. Integer tensors cannot hold NaN or Inf."
        )
    _checked(_numerics_check, message, (tensor,))
    return tensor


def assert_all_finite(x, message, name=None):
    """`check_numerics` under its TF2 name: return `x`, or raise on NaN/Inf."""
    return check_numerics(x, message, name=name)


# -- static checks: rank, dtype, shapes ---------------------------------------------------
def _static_rank(x):
    return _tensor(x).dim() if not hasattr(x, "shape") else len(x.shape)


def _as_int(value):
    if isinstance(value, torch.Tensor):
        return int(value)
    return int(value)


def assert_rank(x, rank, message=None, name=None):
    """Raise `ValueError` unless `x` has rank `rank` ('Tensor  must have rank 2.  Received rank 1, ...').

    >>> import capas as tf
    >>> tf.debugging.assert_rank(tf.zeros([2, 3]), 2)
    """
    actual = _static_rank(x)
    if actual != _as_int(rank):
        raise ValueError(
            f"{_prefix(message)}Tensor {name or ''} must have rank {_as_int(rank)}.  "
            f"Received rank {actual}, shape {tuple(x.shape)}"
        )


def assert_rank_at_least(x, rank, message=None, name=None):
    """Raise `ValueError` unless the rank of `x` is at least `rank`."""
    actual = _static_rank(x)
    if actual < _as_int(rank):
        raise ValueError(
            f"{_prefix(message)}Tensor {name or ''} must have rank at least {_as_int(rank)}.  "
            f"Received rank {actual}, shape {tuple(x.shape)}"
        )


def assert_rank_in(x, ranks, message=None, name=None):
    """Raise `ValueError` unless the rank of `x` is one of `ranks`."""
    actual = _static_rank(x)
    ranks = tuple(_as_int(r) for r in ranks)
    if actual not in ranks:
        raise ValueError(
            f"{_prefix(message)}Tensor {name or ''} must have rank in {ranks}.  "
            f"Received rank {actual}, shape {tuple(x.shape)}"
        )


def assert_scalar(tensor, message=None, name=None):
    """Return `tensor`; raise `ValueError` unless it is a scalar."""
    tensor = _tensor(tensor)
    if tensor.dim() != 0:
        raise ValueError(f"{_prefix(message)}Expected scalar shape, saw shape: {tuple(tensor.shape)}.")
    return tensor


def _tf_dtype(dtype):
    return f"tf.{dtype_name(dtype)}"


def assert_type(tensor, tf_type, message=None, name=None):
    """Raise `TypeError` unless `tensor` has dtype `tf_type`.

    >>> import capas as tf
    >>> tf.debugging.assert_type(tf.constant(1.0), tf.float32)
    """
    tensor = _tensor(tensor)
    if dtype_name(tensor.dtype) != dtype_name(tf_type):
        raise TypeError(
            f"{message or ''}{name or 'tensor'} must be of type {_tf_dtype(tf_type)}; got {_tf_dtype(tensor.dtype)}"
        )


def assert_integer(x, message=None, name=None):
    """Raise `TypeError` unless `x` has an integer dtype."""
    x = _tensor(x)
    if x.dtype not in _INTEGER:
        raise TypeError(
            f'{_prefix(message)}Expected "x" to be integer type.  Found: tensor of dtype '
            f"<dtype: '{dtype_name(x.dtype)}'>"
        )


def assert_proper_iterable(values):
    """Raise `TypeError` for a tensor, array, string or non-iterable (TF's 'proper' iterable rule)."""
    unwanted = (str, bytes, np.ndarray, torch.Tensor)
    if isinstance(values, unwanted) or not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}')


def assert_same_float_dtype(tensors=None, dtype=None):
    """The common floating dtype of `tensors` (and `dtype`), default `tf.float32`; ValueError if they differ."""
    expected = dtype_name(dtype) if dtype is not None else None
    for t in tensors or ():
        name = dtype_name(t.dtype)
        if expected is None:
            expected = name
        elif name != expected:
            raise ValueError(
                f"{t}, type=<dtype: '{name}'>, must be of the same type (<dtype: '{expected}'>) as the "
                "first tensor. Cast them to one dtype with tf.cast."
            )
    if expected is None:
        return as_dtype("float32")
    if not as_dtype(expected).is_floating:
        raise ValueError(f"Expected floating point type, got tf.{expected}.")
    return as_dtype(expected)


def _describe(t):
    return f"shape={tuple(t.shape)} dtype={dtype_name(t.dtype)}"


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Check the shapes of several tensors at once, with named dimensions shared between them.

    `shapes` is a list of `(tensor, shape)` pairs (or a dict); a shape entry is a size, a
    symbol (`'N'`) that must be the same size wherever it appears, or `'.'` (any size); a
    leading `'...'` or `'*'` matches any leading dimensions.

    >>> import capas as tf
    >>> tf.debugging.assert_shapes([(tf.zeros([2, 3]), ("N", "D")), (tf.zeros([2]), ("N",))])
    """
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    sizes = {}
    for tensor, spec in pairs:
        tensor = _tensor(tensor)
        spec = list(spec) if isinstance(spec, (list, tuple)) else [spec] if spec not in ((), None) else []
        leading = bool(spec) and spec[0] in ("...", "*")
        if leading:
            spec = spec[1:]
        actual = tuple(tensor.shape)
        if (len(actual) < len(spec)) if leading else (len(actual) != len(spec)):
            raise ValueError(
                f"{_prefix(message)}Tensor {_describe(tensor)} must have rank "
                f"{'at least ' if leading else ''}{len(spec)}.  Received rank {len(actual)}, shape {actual}"
            )
        offset = len(actual) - len(spec)
        for i, entry in enumerate(spec):
            dim = offset + i
            size = actual[dim]
            if entry in (".", None):
                continue
            if isinstance(entry, str):
                if entry not in sizes:
                    sizes[entry] = (size, tensor, dim)
                    continue
                want, source, source_dim = sizes[entry]
                if size != want:
                    raise ValueError(
                        f"{_prefix(message)}Specified by tensor {_describe(source)} dimension {source_dim}.  "
                        f"Tensor {_describe(tensor)} dimension {dim} must have size {want}.  "
                        f"Received size {size}, shape {actual}"
                    )
            elif size != int(entry):
                raise ValueError(
                    f"{_prefix(message)}Tensor {_describe(tensor)} dimension {dim} must have size "
                    f"{int(entry)}.  Received size {size}, shape {actual}"
                )


def is_numeric_tensor(tensor):
    """True for a tensor of a number dtype (floating, integer, complex; not bool or string)."""
    return isinstance(tensor, torch.Tensor) and tensor.dtype != torch.bool
