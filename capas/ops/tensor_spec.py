"""`TensorSpec`: a shape and dtype, as given to `tf.function(input_signature=...)`."""

from capas.ops._convert import as_torch_dtype, dtype_name
from capas.ops.strings import string
from capas.ops.tensor_shape import TensorShape


class TensorSpec:
    """Describes a tensor: its (partially known) shape and dtype.

    Args:
        shape: a `TensorShape` or anything it accepts (dims may be None).
        dtype: any dtype spelling (default float32).
        name: an optional name.

    Example:

    >>> import capas as tf
    >>> spec = tf.TensorSpec([None, 3], tf.float32)
    >>> spec.is_compatible_with(tf.zeros((5, 3)))
    True
    """

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = TensorShape(shape)
        self.dtype = string if _is_string(dtype) else as_torch_dtype(dtype)
        self.name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        return cls(tensor.shape, tensor.dtype, name)

    def is_compatible_with(self, spec_or_tensor):
        """True when the shape is compatible and the dtype equal."""
        other = spec_or_tensor.dtype
        same_dtype = (string if _is_string(other) else as_torch_dtype(other)) == self.dtype
        return same_dtype and self.shape.is_compatible_with(spec_or_tensor.shape)

    def __eq__(self, other):
        return (
            isinstance(other, TensorSpec)
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.name == other.name
        )

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype=tf.{_name(self.dtype)}, name={self.name!r})"


def _is_string(dtype):
    return dtype is string or dtype == "string" or getattr(dtype, "name", None) == "string"


def _name(dtype):
    return "string" if dtype is string else dtype_name(dtype)
