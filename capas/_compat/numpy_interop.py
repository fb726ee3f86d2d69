"""How tensors and numpy meet, as in TensorFlow.

* Operators take numpy arrays, nested lists and tuples on either side and return a tensor
  that keeps the gradient: `t * np_array`, `np_array - t`, `[[1., 2.]] @ v`, `v * [3., 4.]`,
  `t == [1, 2]`. The other operand takes the tensor's dtype, as TensorFlow converts it
  (`float32 tensor * float64 array -> float32`; a list of floats cannot become an int
  tensor: TypeError). Python and numpy *scalars* keep torch's promotion rules (unchanged).
* numpy functions on tensors return numpy values: `np.max(t, axis=0)`, `np.std(t)`,
  `np.argmax(t)` (a numpy scalar), `np.abs(t)` (an ndarray), as `np.asarray(t)` would.
* `np.array(t)` / `np.asarray(t)` accept NumPy 2's `copy=` and detach a tensor that
  requires grad, as TensorFlow lets them read a watched tensor.

The cost is one Python frame per tensor operator call (measured in
`benchmarks/overhead.py`); torch functions (`torch.add`, `F.linear`, the optimizers'
`torch._foreach_*`) are untouched.
"""

import numpy as np
import torch
from torch.overrides import has_torch_function_unary

from capas import errors as _errors
from capas.ops._convert import convert_to_tensor

_FOREIGN = {np.ndarray, list, tuple}


def _operand(tensor, other):
    """`other` (an array, list or tuple) as a tensor of `tensor`'s dtype and device."""
    if isinstance(other, np.ndarray):
        if other.dtype.kind in "USOV":
            return other  # strings and objects: torch's own error
        return convert_to_tensor(other, dtype=tensor.dtype, device=tensor.device)
    value = convert_to_tensor(other, device=tensor.device)
    if value.dtype != tensor.dtype:
        lossy = (value.is_floating_point() or value.is_complex()) and not (
            tensor.is_floating_point() or tensor.is_complex()
        )
        if lossy:
            raise TypeError(
                f"Cannot convert {other!r} to a tensor of dtype {tensor.dtype.name} "
                f"(the other operand's dtype). Cast the tensor first, e.g. tf.cast(t, tf.float32)."
            )
        value = value.to(tensor.dtype)
    return value


class _OperatorError(_errors.InvalidArgumentError, RuntimeError):
    """What a tensor operator raises for operands torch refuses (e.g. shapes that do not broadcast).

    TF raises `tf.errors.InvalidArgumentError`; plain torch code catches `RuntimeError`:
    this error is both, and reports itself by TF's name.
    """


_OperatorError.__name__ = _OperatorError.__qualname__ = "InvalidArgumentError"


def _operator_error(exc, name):
    error = _errors.as_op_error(exc, name)
    if error is exc:
        return exc
    return _OperatorError(None, name, error.message)


def _binary(original):
    def op(self, other):
        if other.__class__ in _FOREIGN:  # exact types: one set lookup on the fast path
            other = _operand(self, other)
        try:  # free on the success path
            return original(self, other)
        except RuntimeError as exc:
            error = _operator_error(exc, original.__name__)
            if error is exc:
                raise
            raise error from exc

    op.__name__ = original.__name__
    op.__doc__ = original.__doc__
    op._capas_original = original
    return op


_OPERATORS = [
    f"__{prefix}{name}__"
    for name in (
        "add",
        "sub",
        "mul",
        "truediv",
        "floordiv",
        "mod",
        "pow",
        "matmul",
        "and",
        "or",
        "xor",
    )
    for prefix in ("", "r")
] + ["__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"]


def _to_numpy(value):
    if isinstance(value, torch.Tensor):
        return value.__array__()
    if isinstance(value, list):
        return [_to_numpy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_to_numpy(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_numpy(v) for k, v in value.items()}
    return value


def _array_function(self, func, types, args, kwargs):
    # numpy functions on tensors compute in numpy and return numpy values (TensorFlow's
    # tensors have no __array_function__ either, so numpy reads them through __array__).
    return func(*_to_numpy(args), **_to_numpy(kwargs))


def _array_wrap(self, array, context=None, return_scalar=False):
    # ufuncs (`np.abs(t)`) return numpy values, a numpy scalar for a 0-d result.
    if return_scalar:
        return array[()]
    return array


_original_array = torch.Tensor.__array__
_numpy_view = torch._C.TensorBase.numpy


def _array(self, dtype=None, copy=None):
    if type(self) is not torch.Tensor and has_torch_function_unary(self):
        array = _original_array(self, dtype)
        return array.copy() if copy else array
    value = self.detach()
    copied = False
    if value.device.type != "cpu":
        value = value.cpu()
        copied = True
    if value.dtype == torch.bfloat16:
        value = value.float()
        copied = True
    array = _numpy_view(value)
    if dtype is not None and array.dtype != np.dtype(dtype):
        array = array.astype(dtype)
        copied = True
    if copy and not copied:
        array = array.copy()
    return array


def install():
    if getattr(torch.Tensor.__mul__, "_capas_original", None) is not None:
        return
    for name in _OPERATORS:
        setattr(torch.Tensor, name, _binary(getattr(torch.Tensor, name)))
    torch.Tensor.__array__ = _array
    torch.Tensor.__array_wrap__ = _array_wrap
    torch.Tensor.__array_function__ = _array_function
