"""TensorFlow's shape and dtype names on every tensor: `t.shape.as_list()`, `t.dtype.name`.

`torch.Size` gains TensorFlow's `TensorShape` names (`as_list`, `rank`, `ndims`, `dims`,
`num_elements`, `is_fully_defined`, `is_compatible_with`, `merge_with`, ...), `torch.dtype`
gains `DType`'s (`name`, `as_numpy_dtype`, `is_floating`, `is_integer`, `min`, `max`, ...)
and compares equal to TensorFlow's other spellings of a dtype (`torch.float32 == "float32"`,
`== np.float32`), `Tensor.get_shape()` returns `t.shape`, and `Tensor.set_shape()` checks
compatibility. Nothing existing changes meaning: `t.shape` is still the `torch.Size` torch
returns (no cost per access), `torch.float32 == torch.float32` is still identity, and the hash
is torch's.
"""

import numpy as np
import torch

from capas._compat._types import add_attribute
from capas.ops import dtypes as _dtypes
from capas.ops.tensor_shape import TensorShape

# -- torch.Size: TensorShape's names, answered by a TensorShape of the same dims -------------


def _as_list(self):
    """The dimensions as a list of ints (TensorFlow's `TensorShape.as_list()`)."""
    return list(self)


def _num_elements(self):
    return self.numel()


def _delegate(name):
    def method(self, *args, **kwargs):
        return getattr(TensorShape(self), name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"TensorFlow's `TensorShape.{name}`."
    return method


def _assert_is_compatible_with(self, other):
    if not TensorShape(self).is_compatible_with(other):
        raise ValueError(f"Shapes {TensorShape(self)} and {TensorShape(other)} are incompatible.")


_SIZE_ATTRIBUTES = {
    "as_list": _as_list,
    "rank": property(len, doc="The number of dimensions (TensorFlow's `TensorShape.rank`)."),
    "ndims": property(len, doc="The number of dimensions (TensorFlow's `TensorShape.ndims`)."),
    "dims": property(list, doc="The dimensions as a list (TensorFlow's `TensorShape.dims`)."),
    "num_elements": _num_elements,
    "is_fully_defined": lambda self: True,
    "is_compatible_with": _delegate("is_compatible_with"),
    "assert_is_compatible_with": _assert_is_compatible_with,
    "merge_with": _delegate("merge_with"),
    "concatenate": _delegate("concatenate"),
    "with_rank": _delegate("with_rank"),
}

# -- torch.dtype: DType's names -----------------------------------------------------------


def _dtype_name(self):
    try:
        return _dtypes.dtype_name(self)
    except KeyError:  # float8 and quantized types TensorFlow does not name
        return str(self).rsplit(".", 1)[-1]


def _from_dtype(name):
    def getter(self):
        return getattr(_dtypes.DType(self), name)

    return property(getter, doc=f"TensorFlow's `DType.{name}`.")


_DTYPE_ATTRIBUTES = {
    "name": property(_dtype_name, doc="TensorFlow's name of the dtype: `'float32'`."),
    "base_dtype": property(lambda self: self, doc="The dtype itself (TensorFlow's `DType.base_dtype`)."),
    "real_dtype": property(lambda self: self.to_real(), doc="The real dtype of a complex one."),
    "as_numpy_dtype": _from_dtype("as_numpy_dtype"),
    "is_floating": _from_dtype("is_floating"),
    "is_integer": _from_dtype("is_integer"),
    "is_unsigned": _from_dtype("is_unsigned"),
    "is_bool": _from_dtype("is_bool"),
    "size": _from_dtype("size"),
    "min": _from_dtype("min"),
    "max": _from_dtype("max"),
    "is_compatible_with": lambda self, other: _dtype_eq(self, other) is True,
}

_TORCH_DTYPE = torch.dtype


def _dtype_eq(self, other):
    # The fast path first: torch code compares dtypes with dtypes, by identity as before.
    if other.__class__ is _TORCH_DTYPE:
        return self is other
    if isinstance(other, (str, np.dtype, _dtypes.DType)) or (isinstance(other, type) and issubclass(other, np.generic)):
        try:
            return _dtypes.as_torch_dtype(other) is self
        except TypeError:
            return False
    return NotImplemented


def _dtype_ne(self, other):
    if other.__class__ is _TORCH_DTYPE:
        return self is not other
    result = _dtype_eq(self, other)
    return result if result is NotImplemented else not result


def install():
    # A name torch has (its own, in a later release, or ours from an earlier import) is kept.
    for tp, attributes in (
        (torch.Size, _SIZE_ATTRIBUTES),
        (torch.dtype, _DTYPE_ATTRIBUTES),
    ):
        for name, value in attributes.items():
            if name not in dir(tp):
                add_attribute(tp, name, value)
    add_attribute(torch.dtype, "__eq__", _dtype_eq, replace=True)
    add_attribute(torch.dtype, "__ne__", _dtype_ne, replace=True)
    torch.Tensor.get_shape = _get_shape
    torch.Tensor.set_shape = _set_shape


def _get_shape(self):
    """The tensor's shape (TensorFlow's `Tensor.get_shape()`): `self.shape`."""
    return self.shape


def _set_shape(self, shape):
    """TensorFlow's `Tensor.set_shape`: eager tensors only check that `shape` is compatible."""
    if not TensorShape(self.shape).is_compatible_with(shape):
        raise ValueError(
            f"Tensor's shape {tuple(self.shape)} is not compatible with supplied shape {TensorShape(shape)}."
        )
