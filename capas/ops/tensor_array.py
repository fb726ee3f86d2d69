"""`tf.TensorArray`: a list of tensors written and read by index, as in TF's eager mode.

Methods return the array itself (TF returns a new handle; code that writes
`ta = ta.write(i, x)` works either way). As in TensorFlow, `read` clears the
element when `clear_after_read=True` (the default): a later `stack` sees
zeros there.
"""

import torch

from capas.errors import InvalidArgumentError, OutOfRangeError
from capas.ops._convert import as_torch_dtype, convert_to_tensor


class TensorArray:
    """A list of tensors of one dtype, indexed 0..size-1.

    Args:
        dtype: the element dtype.
        size: the initial number of elements.
        dynamic_size: whether writes past the end grow the array.
        clear_after_read: whether `read` empties the element.
        element_shape: optional shape every element must have.
        infer_shape: whether elements must share the first element's shape.

    Example:

    >>> import capas as tf
    >>> ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    >>> for i in range(3):
    ...     ta = ta.write(i, float(i))
    >>> ta.stack().tolist()
    [0.0, 1.0, 2.0]
    """

    def __init__(
        self,
        dtype,
        size=None,
        dynamic_size=None,
        clear_after_read=None,
        tensor_array_name=None,
        handle=None,
        flow=None,
        infer_shape=True,
        element_shape=None,
        colocate_with_first_write_call=True,
        name=None,
    ):
        self._dtype = as_torch_dtype(dtype)
        self._items = [None] * int(size or 0)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = None if element_shape is None else tuple(element_shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def element_shape(self):
        return self._element_shape

    def size(self, name=None):
        """The number of elements (an int32 scalar tensor)."""
        return torch.tensor(len(self._items), dtype=torch.int32)

    def _index(self, index, for_write):
        i = int(index)
        n = len(self._items)
        if i < 0:
            raise InvalidArgumentError(None, "TensorArray", f"TensorArray index {i} must be non-negative.")
        if i >= n:
            if for_write and self._dynamic_size:
                self._items.extend([None] * (i + 1 - n))
            else:
                raise OutOfRangeError(
                    None,
                    "TensorArray",
                    f"Tried to {'write to' if for_write else 'read from'} index {i} but array size is: {n}. "
                    "Create the TensorArray with dynamic_size=True to let it grow.",
                )
        return i

    def write(self, index, value, name=None):
        """Set element `index` to `value`; returns the array."""
        i = self._index(index, for_write=True)
        value = convert_to_tensor(value, dtype=self._dtype)
        if value.dtype != self._dtype:
            value = value.to(self._dtype)
        shape = tuple(value.shape)
        if self._element_shape is not None and self._infer_shape and shape != self._element_shape:
            raise InvalidArgumentError(
                None,
                "TensorArray",
                f"Could not write to TensorArray index {i}: element shape {shape} differs from the "
                f"array's element shape {self._element_shape}.",
            )
        if self._element_shape is None and self._infer_shape:
            self._element_shape = shape
        self._items[i] = value
        return self

    def read(self, index, name=None):
        """Element `index` (zeros of the element shape if never written)."""
        i = self._index(index, for_write=False)
        value = self._value(i)
        if self._clear_after_read:
            self._items[i] = None
        return value

    def _value(self, i):
        value = self._items[i]
        if value is None:
            if self._element_shape is None:
                raise InvalidArgumentError(
                    None,
                    "TensorArray",
                    f"TensorArray element {i} was never written and its shape is unknown.",
                )
            return torch.zeros(self._element_shape, dtype=self._dtype)
        return value

    def stack(self, name=None):
        """All elements stacked along a new first axis."""
        if not self._items:
            return torch.zeros((0, *(self._element_shape or ())), dtype=self._dtype)
        return torch.stack([self._value(i) for i in range(len(self._items))])

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        idx = [int(i) for i in convert_to_tensor(indices).reshape(-1).tolist()]
        return torch.stack([self._value(self._index(i, for_write=False)) for i in idx])

    def concat(self, name=None):
        """All elements joined along their first axis."""
        return torch.cat([self._value(i) for i in range(len(self._items))])

    def unstack(self, value, name=None):
        """Write the rows of `value` as elements 0..n-1; returns the array."""
        value = convert_to_tensor(value, dtype=self._dtype)
        for i in range(value.shape[0]):
            self.write(i, value[i])
        return self

    def scatter(self, indices, value, name=None):
        """Write the rows of `value` at `indices`; returns the array."""
        value = convert_to_tensor(value, dtype=self._dtype)
        for row, i in enumerate(convert_to_tensor(indices).reshape(-1).tolist()):
            self.write(i, value[row])
        return self

    def split(self, value, lengths, name=None):
        """Write pieces of `value` (split along axis 0 by `lengths`); returns the array."""
        value = convert_to_tensor(value, dtype=self._dtype)
        pieces = torch.split(value, [int(n) for n in convert_to_tensor(lengths).tolist()])
        saved, self._infer_shape = self._infer_shape, False
        for i, piece in enumerate(pieces):
            self.write(i, piece)
        self._infer_shape = saved
        return self

    def identity(self):
        return self

    def close(self, name=None):
        self._items = []

    def __repr__(self):
        return f"<tf.TensorArray dtype={self._dtype} size={len(self._items)}>"
