"""`tf.debugging.enable_check_numerics`: every op's floating outputs checked for NaN and Inf.

A `TorchDispatchMode` stays pushed between `enable_check_numerics()` and
`disable_check_numerics()`: after each ATen op it looks at the floating-point outputs and
raises `tf.errors.InvalidArgumentError` naming the op, as TF's check-numerics callback does.
"""

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from capas import errors
from capas.ops._convert import dtype_name


class _CheckNumerics(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        outputs = out if isinstance(out, (list, tuple)) else (out,)
        for index, value in enumerate(outputs):
            if not isinstance(value, torch.Tensor) or not value.dtype.is_floating_point:
                continue
            bad = ~torch.isfinite(value)
            if bool(bad.any()):
                op = func.overloadpacket.__name__
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"\n\n!!! Detected Infinity or NaN in output {index} of eagerly-executing op "
                    f'"{op}" (# of outputs: {len(outputs)}) !!!\n  dtype: {dtype_name(value.dtype)}\n'
                    f"  shape: {tuple(value.shape)}\n  # of -Inf elements: {int((value == float('-inf')).sum())}\n"
                    f"  # of +Inf elements: {int((value == float('inf')).sum())}\n"
                    f"  # of +NaN elements: {int(torch.isnan(value).sum())}\n"
                    "Call tf.debugging.disable_check_numerics() to turn the check off.",
                )
        return out


_active = []


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Check every op's floating outputs for NaN/Inf until `disable_check_numerics()`.

    >>> import capas as tf
    >>> tf.debugging.enable_check_numerics()
    >>> try:
    ...     tf.math.log(tf.constant([-1.0]))
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(str(e).split("!!!")[1].strip())
    Detected Infinity or NaN in output 0 of eagerly-executing op "log" (# of outputs: 1)
    >>> tf.debugging.disable_check_numerics()
    """
    if _active:
        return  # idempotent, as TF
    mode = _CheckNumerics()
    mode.__enter__()
    _active.append(mode)


def disable_check_numerics():
    """Stop the checks `enable_check_numerics()` started (a no-op when they are off)."""
    while _active:
        _active.pop().__exit__(None, None, None)
