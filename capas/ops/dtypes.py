"""TensorFlow's dtypes on torch: `tf.float32` *is* `torch.float32`.

`tf.dtypes.as_dtype(x)` returns a small `DType` that knows TensorFlow's
attributes (`name`, `is_floating`, `as_numpy_dtype`, `min`, `max`, ...) and
compares equal to (and hashes like) the torch dtype it stands for.
"""

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype, dtype_name

float16 = torch.float16
half = torch.float16
bfloat16 = torch.bfloat16
float32 = torch.float32
float64 = torch.float64
double = torch.float64
int8 = torch.int8
int16 = torch.int16
int32 = torch.int32
int64 = torch.int64
uint8 = torch.uint8
uint16 = torch.uint16
uint32 = torch.uint32
uint64 = torch.uint64
bool = torch.bool  # noqa: A001 - TensorFlow's name (tf.bool)
complex64 = torch.complex64
complex128 = torch.complex128


class DType:
    """TensorFlow's view of a dtype (what `tf.dtypes.as_dtype` returns).

    Args:
        dtype: any dtype spelling: `'float32'`, `torch.float32`, `np.float32`,
            a TensorFlow enum value (`1`) or another `DType`.

    Example:

    >>> import capas as tf
    >>> d = tf.dtypes.as_dtype("float32")
    >>> d.name, d == tf.float32, d.is_floating
    ('float32', True, True)
    """

    __slots__ = ("_torch",)

    def __init__(self, dtype):
        self._torch = dtype._torch if isinstance(dtype, DType) else as_torch_dtype(dtype)

    @property
    def name(self):
        return dtype_name(self._torch)

    @property
    def as_torch_dtype(self):
        """The `torch.dtype` this stands for."""
        return self._torch

    @property
    def base_dtype(self):
        return self

    @property
    def as_numpy_dtype(self):
        if self._torch == torch.bfloat16:
            raise TypeError("numpy has no bfloat16 dtype; cast to float32 first.")
        return np.dtype(self.name).type

    @property
    def is_floating(self):
        return self._torch.is_floating_point

    @property
    def is_complex(self):
        return self._torch.is_complex

    @property
    def is_integer(self):
        return not (self._torch.is_floating_point or self._torch.is_complex or self._torch == torch.bool)

    @property
    def is_unsigned(self):
        return self._torch in (torch.uint8, torch.uint16, torch.uint32, torch.uint64)

    @property
    def is_bool(self):
        return self._torch == torch.bool

    @property
    def size(self):
        return self._torch.itemsize

    @property
    def min(self):
        if self.is_bool or self.is_complex:
            raise TypeError(f"Cannot find the minimum value of {self.name}.")
        info = torch.finfo(self._torch) if self.is_floating else torch.iinfo(self._torch)
        return info.min

    @property
    def max(self):
        if self.is_bool or self.is_complex:
            raise TypeError(f"Cannot find the maximum value of {self.name}.")
        info = torch.finfo(self._torch) if self.is_floating else torch.iinfo(self._torch)
        return info.max

    def is_compatible_with(self, other):
        return self == other

    def __eq__(self, other):
        if other is None:
            return False
        try:
            return self._torch == (other._torch if isinstance(other, DType) else as_torch_dtype(other))
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._torch)

    def __reduce__(self):
        return (DType, (self.name,))

    def __repr__(self):
        return f"tf.{self.name}"


def as_dtype(type_value):
    """Convert any dtype spelling to a `DType` (TF's `tf.dtypes.as_dtype`).

    Args:
        type_value: `'float32'`, `torch.float32`, `np.float32`, a TensorFlow
            enum value or a `DType`.

    Returns:
        A `DType` that compares equal to the matching torch dtype.

    Example:

    >>> import capas as tf
    >>> tf.dtypes.as_dtype(tf.int32).name
    'int32'
    """
    if isinstance(type_value, DType):
        return type_value
    return DType(type_value)
