"""How every keras.ops function runs: on tensors (recording gradients inside a tape, as capas ops do),
or, given symbolic KerasTensors, as one node of the functional graph."""

import functools

import torch

from capas._nest import flatten
from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops._recording import op
from capas.keras import config
from capas.keras.layers._op_layer import op_node


def _is_symbolic(args, kwargs):
    return any(getattr(type(v), "_is_keras_tensor", False) for v in flatten([list(args), list(kwargs.values())]))


def keras_op(fn):
    """Decorate a keras.ops function (see the module docstring)."""
    recorded = op(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _is_symbolic(args, kwargs):
            return op_node(recorded, args, kwargs)
        return recorded(*args, **kwargs)

    return wrapper


def floatx():
    return as_torch_dtype(config.floatx())


def tensor(x, dtype=None):
    """Keras's convert_to_tensor: Python floats become floatx, ints int32; arrays keep their dtype."""
    return convert_to_tensor(x, dtype=dtype)


def to_float(x):
    """Integers and booleans -> floatx (Keras's rule for sin, exp, mean, ...); floats unchanged."""
    x = tensor(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(floatx())


def pair(x1, x2):
    """Two operands, with Python scalars kept weak (they take the tensor's dtype, as in Keras)."""
    x1_scalar, x2_scalar = isinstance(x1, (int, float, bool)), isinstance(x2, (int, float, bool))
    if x1_scalar and not x2_scalar:
        x2 = tensor(x2)
        return torch.tensor(x1, dtype=torch.result_type(x2, x1), device=x2.device), x2
    if x2_scalar and not x1_scalar:
        x1 = tensor(x1)
        return x1, torch.tensor(x2, dtype=torch.result_type(x1, x2), device=x1.device)
    return tensor(x1), tensor(x2)


def axes(axis):
    """Keras's axis argument (None, int, or tuple) as what torch reductions take."""
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else int(axis)
