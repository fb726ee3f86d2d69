"""tf ops on RaggedTensors: element-wise ops work on the flat values, reductions per row.

capas ops run their dense path first; when it refuses a RaggedTensor (a
TypeError), `dispatch` is asked (capas/ops/_recording.py), so the ragged
path costs nothing for dense tensors.
"""

import torch

from capas.ops._convert import convert_to_tensor
from capas.ragged.ragged_tensor import RaggedTensor
from capas.ragged.ragged_tensor import constant

_ELEMENTWISE = {
    "add",
    "subtract",
    "multiply",
    "divide",
    "truediv",
    "maximum",
    "minimum",
    "pow",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_or",
}
_UNARY = {
    "abs",
    "negative",
    "sqrt",
    "exp",
    "square",
    "sign",
    "floor",
    "round",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "logical_not",
    "cast",
    "identity",
}
_REDUCTIONS = {
    "reduce_sum",
    "reduce_mean",
    "reduce_max",
    "reduce_min",
    "reduce_prod",
    "reduce_any",
    "reduce_all",
}


def _is_ragged(value):
    return isinstance(value, RaggedTensor)


def dispatch(fn, args, kwargs):
    """The result of op `fn` on ragged arguments, or NotImplemented."""
    name = fn.__name__
    if name in _ELEMENTWISE and len(args) >= 2:
        return _binary(fn, args[0], args[1], args[2:], kwargs)
    if name in _UNARY and args and _is_ragged(args[0]):
        return args[0].with_flat_values(fn(args[0].flat_values, *args[1:], **kwargs))
    if name in _REDUCTIONS and args and _is_ragged(args[0]):
        return _reduce(fn, args[0], *args[1:], **kwargs)
    if name == "concat" and args:
        return _concat(args[0], args[1] if len(args) > 1 else kwargs.get("axis", 0))
    return NotImplemented


def _binary(fn, x, y, rest, kwargs):
    if _is_ragged(x) and _is_ragged(y):
        if not torch.equal(x.row_splits, y.row_splits):
            raise ValueError(
                "tf ops on two RaggedTensors need the same row lengths; received "
                f"{x.row_lengths().tolist()} and {y.row_lengths().tolist()}."
            )
        return x.with_flat_values(fn(x.flat_values, y.flat_values, *rest, **kwargs))
    if _is_ragged(x):
        y = convert_to_tensor(y)
        if y.dim() == 0:
            return x.with_flat_values(fn(x.flat_values, y, *rest, **kwargs))
    elif _is_ragged(y):
        x = convert_to_tensor(x)
        if x.dim() == 0:
            return y.with_flat_values(fn(x, y.flat_values, *rest, **kwargs))
    return NotImplemented


def _reduce(fn, rt, axis=None, keepdims=False, name=None):
    if axis is None:
        return fn(rt.flat_values)
    axis = int(axis)
    if rt.ragged_rank != 1 or rt.values.dim() != 1 or axis not in (1, -1):
        return NotImplemented  # ragged reductions along other axes are not in capas yet
    if fn.__name__ == "reduce_mean":  # TF: row sums / row lengths with truediv (ints give float64)
        sums = torch.stack([row.sum() for row in rt]) if len(rt) else torch.zeros((0,), dtype=rt.dtype)
        lengths = rt.row_lengths()
        dtype = rt.dtype if rt.dtype.is_floating_point else torch.float64
        out = sums.to(dtype) / lengths.to(dtype)
    else:
        rows = [fn(row, axis=0) if row.numel() else _empty_reduction(fn.__name__, rt.dtype) for row in rt]
        out = torch.stack(rows) if rows else torch.zeros((0,), dtype=rt.dtype)
    return out.unsqueeze(1) if keepdims else out


def _empty_reduction(name, dtype):
    if name in ("reduce_max", "reduce_min"):
        info = torch.finfo(dtype) if dtype.is_floating_point else torch.iinfo(dtype)
        return torch.tensor(info.min if name == "reduce_max" else info.max, dtype=dtype)
    if name in ("reduce_prod", "reduce_all"):
        return torch.tensor(1, dtype=dtype)
    return torch.tensor(0, dtype=dtype)


def _concat(values, axis):
    if not isinstance(values, (list, tuple)) or int(axis) != 0 or not any(_is_ragged(v) for v in values):
        return NotImplemented
    rows = []
    for v in values:
        rows.extend(v.to_list() if _is_ragged(v) else [list(r) for r in convert_to_tensor(v).tolist()])
    dtype = next(v.dtype for v in values if _is_ragged(v))
    return constant(rows, dtype=dtype, ragged_rank=1) if rows else RaggedTensor(torch.zeros((0,), dtype=dtype), [0])


def map_flat_values(op, *args, **kwargs):
    """`op` applied to the flat values of the RaggedTensor arguments (the row structure is kept)."""
    ragged = next((a for a in list(args) + list(kwargs.values()) if _is_ragged(a)), None)
    if ragged is None:
        raise ValueError("tf.ragged.map_flat_values: no RaggedTensor among the arguments.")
    args = [a.flat_values if _is_ragged(a) else a for a in args]
    kwargs = {k: v.flat_values if _is_ragged(v) else v for k, v in kwargs.items()}
    return ragged.with_flat_values(op(*args, **kwargs))
