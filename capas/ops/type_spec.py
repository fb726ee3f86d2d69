"""`tf.TypeSpec` and the specs of the composite values: `SparseTensorSpec`, `IndexedSlicesSpec`,
`TensorArraySpec`, `OptionalSpec`, `NoneTensorSpec`, and `tf.type_spec_from_value`.

`TensorSpec`, `RaggedTensorSpec` and `tf.data`'s `DatasetSpec` are registered as TypeSpecs, so
`isinstance(spec, tf.TypeSpec)` holds for them as in TF.
"""

import abc

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype, dtype_name
from capas.ops.strings import string
from capas.ops.tensor_shape import TensorShape
from capas.data._batching import DatasetSpec
from capas.data._optional import Optional
from capas.ops._convert import convert_to_tensor
from capas.ops.indexed_slices import IndexedSlices
from capas.ops.tensor_array import TensorArray
from capas.ops.tensor_spec import TensorSpec
from capas.ragged.ragged_tensor_spec import RaggedTensorSpec
from capas.sparse.sparse_tensor import SparseTensor


def _dtype(dtype):
    if dtype is string or dtype == "string" or getattr(dtype, "name", None) == "string":
        return string
    return as_torch_dtype(dtype)


def _name(dtype):
    return "string" if dtype is string else dtype_name(dtype)


class TypeSpec(abc.ABC):  # noqa: B024 - subclasses define the fields; the ABC carries register()
    """The base class of the specs of values (`tf.TypeSpec`)."""

    _fields = ()

    @property
    @abc.abstractmethod
    def value_type(self):
        """The Python type of the values this spec describes."""

    def _key(self):
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other):
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def __repr__(self):
        parts = ", ".join(f"{f}={_show(getattr(self, f))}" for f in self._fields)
        return f"{type(self).__name__}({parts})"

    def is_compatible_with(self, spec_or_value):
        """True when `spec_or_value` (a spec or a value) fits this spec."""
        other = spec_or_value if isinstance(spec_or_value, TypeSpec) else type_spec_from_value(spec_or_value)
        if type(other) is not type(self):
            return False
        for f in self._fields:
            a, b = getattr(self, f), getattr(other, f)
            if isinstance(a, TensorShape):
                if not a.is_compatible_with(b):
                    return False
            elif a != b:
                return False
        return True


def _show(v):
    if isinstance(v, (torch.dtype,)) or v is string:
        return "tf." + _name(v)
    return repr(v) if not isinstance(v, TensorShape) else str(v)


class SparseTensorSpec(TypeSpec):
    """The spec of a `tf.sparse.SparseTensor`: its dense shape and dtype.

    Example:

    >>> import capas as tf
    >>> sp = tf.sparse.SparseTensor([[0, 1]], [2.0], [2, 3])
    >>> tf.type_spec_from_value(sp) == tf.SparseTensorSpec([2, 3], tf.float32)
    True
    """

    _fields = ("shape", "dtype")

    def __init__(self, shape=None, dtype=torch.float32):
        self.shape = TensorShape(shape)
        self.dtype = _dtype(dtype)

    @property
    def value_type(self):

        return SparseTensor

    @classmethod
    def from_value(cls, value):
        return cls(value.dense_shape.tolist(), value.dtype)


class IndexedSlicesSpec(TypeSpec):
    """The spec of a `tf.IndexedSlices`.

    Example:

    >>> import capas as tf
    >>> tf.IndexedSlicesSpec([5, 2]) == tf.IndexedSlicesSpec([5, 2], tf.float32)
    True
    """

    _fields = ("shape", "dtype", "indices_dtype", "dense_shape_dtype", "indices_shape")

    def __init__(
        self, shape=None, dtype=torch.float32, indices_dtype=torch.int64, dense_shape_dtype=None, indices_shape=None
    ):
        self.shape = TensorShape(shape)
        self.dtype = _dtype(dtype)
        self.indices_dtype = as_torch_dtype(indices_dtype)
        self.dense_shape_dtype = as_torch_dtype(dense_shape_dtype)
        self.indices_shape = TensorShape([None] if indices_shape is None else indices_shape)

    @property
    def value_type(self):

        return IndexedSlices


class TensorArraySpec(TypeSpec):
    """The spec of a `tf.TensorArray`: its element shape and dtype.

    Example:

    >>> import capas as tf
    >>> tf.TensorArraySpec([2], tf.int32) == tf.TensorArraySpec([3], tf.int32)
    False
    """

    _fields = ("element_shape", "dtype", "dynamic_size", "infer_shape")

    def __init__(self, element_shape=None, dtype=torch.float32, dynamic_size=False, infer_shape=True):
        self.element_shape = TensorShape(element_shape)
        self.dtype = _dtype(dtype)
        self.dynamic_size = dynamic_size
        self.infer_shape = infer_shape

    @property
    def value_type(self):

        return TensorArray


class OptionalSpec(TypeSpec):
    """The spec of a `tf.experimental.Optional`: the spec of the value it may hold.

    Example:

    >>> import capas as tf
    >>> tf.OptionalSpec(tf.TensorSpec([2], tf.int32)).value_type is tf.experimental.Optional
    True
    """

    _fields = ("element_spec",)

    def __init__(self, element_spec):
        self.element_spec = element_spec

    @property
    def value_type(self):

        return Optional

    @classmethod
    def from_value(cls, value):
        return cls(value.element_spec)


class NoneTensorSpec(TypeSpec):
    """The spec of `None` inside a structure of tensors.

    Example:

    >>> import capas as tf
    >>> tf.type_spec_from_value(None) == tf.NoneTensorSpec()
    True
    """

    _fields = ()

    @property
    def value_type(self):
        return type(None)


def _register():

    for cls in (TensorSpec, RaggedTensorSpec, DatasetSpec):
        TypeSpec.register(cls)


def type_spec_from_value(value):
    """The spec of `value` (`tf.type_spec_from_value`): a TensorSpec for tensors (and what converts
    to one), SparseTensorSpec, RaggedTensorSpec, DatasetSpec, OptionalSpec or NoneTensorSpec.

    Example:

    >>> import capas as tf
    >>> tf.type_spec_from_value(tf.zeros([2, 3]))
    TensorSpec(shape=(2, 3), dtype=tf.float32, name=None)
    """

    if value is None:
        return NoneTensorSpec()
    kind = type(value).__name__
    if kind == "SparseTensor":
        return SparseTensorSpec.from_value(value)
    if kind == "RaggedTensor":
        return RaggedTensorSpec.from_value(value)
    if kind == "Optional" and hasattr(value, "element_spec"):
        return OptionalSpec.from_value(value)
    if hasattr(value, "element_spec") and hasattr(value, "cardinality"):
        return DatasetSpec(value.element_spec)
    if kind == "StringTensor":
        return TensorSpec(list(value.shape), string)
    if isinstance(value, torch.Tensor):
        return TensorSpec(list(value.shape), value.dtype)
    try:
        tensor = convert_to_tensor(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"type_spec_from_value: could not build a TypeSpec for {value!r} of type {type(value).__name__}; "
            "pass a tensor, a composite tensor, or a value tf.constant accepts."
        ) from exc
    if type(tensor).__name__ == "StringTensor":
        return TensorSpec(list(np.shape(tensor.numpy())), string)
    return TensorSpec(list(tensor.shape), tensor.dtype)
