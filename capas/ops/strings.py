"""The capas string tensor: what `tf.constant(["a", "b"])` returns.

torch has no string dtype, so a string tensor is a small type around a numpy
object array of `bytes` (TensorFlow stores strings as bytes too): `.numpy()`
gives bytes objects as TF does, `dtype` is `tf.string`, `shape` a
`torch.Size`. The tf.strings ops, `tf.data` and the Keras text layers accept
it; it lives outside compiled graphs (`tf.function` with `jit_compile`).
This module is a leaf (numpy and torch only) so that conversion can use it.
"""

import numpy as np
import torch


class _StringDType:
    """`tf.string`: the dtype of string tensors (no torch dtype stands for it)."""

    name = "string"
    is_floating = False
    is_integer = False
    is_complex = False
    is_bool = False
    as_numpy_dtype = object

    def __repr__(self):
        return "tf.string"

    def __reduce__(self):
        return "string"


string = _StringDType()


def _to_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, np.bytes_):
        return bytes(value)
    raise TypeError(
        f"A string tensor holds str or bytes values; received {type(value).__name__} ({value!r}). "
        "Convert numbers with tf.strings.as_string first."
    )


def _bytes_array(value):
    """Nested lists / arrays of str or bytes -> numpy object array of bytes."""
    arr = np.asarray(value, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, v in enumerate(flat_in):
        flat_out[i] = _to_bytes(v)
    return out


class StringTensor:
    """A tensor of strings (`dtype=tf.string`), stored as numpy bytes objects.

    Args:
        value: a str, bytes, nested list of them, or a numpy array (of `str`,
            `bytes` or object dtype).

    Example:

    >>> import capas as tf
    >>> s = tf.constant(["a", "b"])
    >>> s.dtype, s.shape, s.numpy().tolist()
    (tf.string, torch.Size([2]), [b'a', b'b'])
    >>> s[1]
    <tf.Tensor: shape=(), dtype=string, numpy=b'b'>
    """

    __slots__ = ("_array",)
    __array_priority__ = 100  # numpy defers `ndarray == StringTensor` to us

    def __init__(self, value):
        if isinstance(value, StringTensor):
            value = value._array
        self._array = _bytes_array(value)

    @classmethod
    def _wrap(cls, array):
        """Wrap an object array already holding bytes (no copy, no checks)."""
        out = cls.__new__(cls)
        out._array = array
        return out

    @classmethod
    def from_numpy(cls, array):
        """A string tensor from a numpy array of str / bytes / object."""
        return cls(array)

    @staticmethod
    def stack(items, axis=0):
        """Stack string tensors (or str/bytes) of one shape along a new `axis`."""
        arrays = [StringTensor(v)._array for v in items]
        return StringTensor._wrap(np.stack(arrays, axis=axis) if arrays else np.empty((0,), dtype=object))

    dtype = string

    @property
    def shape(self):
        return torch.Size(self._array.shape)

    @property
    def ndim(self):
        return self._array.ndim

    def dim(self):
        return self._array.ndim

    def numel(self):
        return int(self._array.size)

    def get_shape(self):
        return self.shape

    @property
    def device(self):
        return torch.device("cpu")

    def to(self, *args, **kwargs):
        """Strings stay on the CPU: moving to a device returns the tensor itself; dtypes are refused."""
        for arg in list(args) + list(kwargs.values()):
            if isinstance(arg, torch.dtype):
                raise TypeError(f"Cannot cast a tf.string tensor to {arg}; parse numbers with tf.strings.to_number.")
        return self

    def numpy(self):
        """The bytes: a `bytes` object for a scalar, else an object array of bytes."""
        return self._array[()] if self._array.ndim == 0 else self._array.copy()

    def tolist(self):
        return self._array.tolist()

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype in (None, object, np.dtype(object)) else self._array.astype(dtype)

    def __len__(self):
        if self._array.ndim == 0:
            raise TypeError("len() of a scalar string tensor (shape ()).")
        return len(self._array)

    def __iter__(self):
        if self._array.ndim == 0:
            raise TypeError("Cannot iterate over a scalar string tensor (shape ()).")
        return (StringTensor._wrap(np.asarray(a, dtype=object)) for a in self._array)

    def __getitem__(self, key):
        if isinstance(key, torch.Tensor):
            key = key.cpu().numpy()
        return StringTensor._wrap(np.asarray(self._array[key], dtype=object))

    def index_select(self, dim, index):
        """Rows `index` along `dim` (as `torch.index_select`; tf.data batches with it)."""
        index = index.cpu().numpy() if isinstance(index, torch.Tensor) else np.asarray(index)
        return StringTensor._wrap(np.take(self._array, index, axis=dim))

    def _compare(self, other):
        other = other._array if isinstance(other, StringTensor) else _bytes_array(other)
        return torch.from_numpy(np.asarray(self._array == other, dtype=bool))

    def __eq__(self, other):
        try:
            return self._compare(other)
        except TypeError:
            return NotImplemented

    def __ne__(self, other):
        try:
            return ~self._compare(other)
        except TypeError:
            return NotImplemented

    __hash__ = None

    def __add__(self, other):
        other = other._array if isinstance(other, StringTensor) else _bytes_array(other)
        return StringTensor._wrap(np.asarray(self._array + other, dtype=object))

    def __radd__(self, other):
        return StringTensor._wrap(np.asarray(_bytes_array(other) + self._array, dtype=object))

    def __bool__(self):
        raise TypeError("The truth value of a string tensor is ambiguous; compare it with == first.")

    def __repr__(self):
        return f"<tf.Tensor: shape={tuple(self._array.shape)}, dtype=string, numpy={self.numpy()!r}>"

    def __str__(self):
        return f"tf.Tensor({self.numpy()}, shape={tuple(self._array.shape)}, dtype=string)"


def is_string_value(value):
    """True for a StringTensor, str, bytes, or a list/array whose items are strings."""
    if isinstance(value, (StringTensor, str, bytes)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "SU" or (value.dtype == object and value.size > 0 and _is_str(value.flat[0]))
    if isinstance(value, (list, tuple)):
        while isinstance(value, (list, tuple)) and value:
            value = value[0]
        return _is_str(value) or isinstance(value, StringTensor)
    return False


def _is_str(v):
    return isinstance(v, (str, bytes, np.str_, np.bytes_))


def as_string_tensor(value, dtype=None):
    """`value` as a StringTensor (what tf.constant / convert_to_tensor give for strings)."""
    if dtype is not None and getattr(dtype, "name", dtype) != "string":
        raise TypeError(
            f"Cannot convert string value {value!r} to dtype {dtype}; parse numbers with tf.strings.to_number."
        )
    if isinstance(value, StringTensor):
        return value
    if isinstance(value, (list, tuple)) and any(isinstance(v, StringTensor) for v in value):
        return StringTensor.stack(value)
    return StringTensor(value)
