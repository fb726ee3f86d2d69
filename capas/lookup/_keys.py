"""Keys and values of lookup tables: tensors to Python items and back, with TF's dtype rules."""

import numpy as np
import torch

from capas import errors
from capas.ops import strings as _strings
from capas.ops._convert import as_torch_dtype
from capas.ops._convert import convert_to_tensor

STRING = "string"


def dtype_of(value):
    """`'string'` for string tensors, else the torch dtype."""
    return STRING if isinstance(value, _strings.StringTensor) else value.dtype


def as_dtype(dtype):
    """A table dtype: `'string'` for tf.string, else a torch dtype."""
    if dtype is None:
        return None
    if str(getattr(dtype, "name", dtype)).replace("tf.", "") == STRING or dtype is str or dtype is bytes:
        return STRING
    return as_torch_dtype(dtype)


def dtype_name(dtype):
    return STRING if dtype == STRING else str(dtype).replace("torch.", "")


def public_dtype(dtype):
    """What `table.key_dtype` shows: capas's tf.string, or the torch dtype."""
    if dtype == STRING:
        return _strings.string
    return dtype


def to_tensor(value, dtype=None):
    """`value` as a tensor of `dtype` (a StringTensor for strings)."""
    if dtype == STRING:
        return _strings.as_string_tensor(value)
    return convert_to_tensor(value, dtype=dtype)


def checked_keys(keys, key_dtype, what):
    """Keys for a lookup: tensors must already have the table's key dtype (a TypeError names both, as TF)."""
    if isinstance(keys, (torch.Tensor, _strings.StringTensor)):
        if dtype_of(keys) != key_dtype:
            raise TypeError(
                f"{what}: signature mismatch. Keys must be dtype {dtype_name(key_dtype)}, got "
                f"{dtype_name(dtype_of(keys))}. Cast them first (tf.cast, or tf.strings.as_string for "
                "integers looked up in a string table)."
            )
        return keys
    return to_tensor(keys, key_dtype)


def items(tensor):
    """A tensor's elements as a flat list of Python keys (bytes or numbers)."""
    if isinstance(tensor, _strings.StringTensor):
        return np.asarray(tensor.numpy(), dtype=object).reshape(-1).tolist()
    return tensor.detach().cpu().reshape(-1).tolist()


def reshaped(tensor, shape):
    """`tensor.reshape(shape)` for torch and string tensors alike."""
    if isinstance(tensor, _strings.StringTensor):
        return _strings.StringTensor._wrap(np.asarray(tensor.numpy(), dtype=object).reshape(shape))
    return tensor.reshape(shape)


def rows(tensor):
    """The values of a tensor `[n, *value_shape]` as `n` Python objects (numbers, bytes or numpy arrays)."""
    if isinstance(tensor, _strings.StringTensor):
        array = np.asarray(tensor.numpy(), dtype=object)
    else:
        array = tensor.detach().cpu().numpy()
    if array.ndim <= 1:
        return array.reshape(-1).tolist()
    return [array[i] for i in range(array.shape[0])]


def build(values, shape, value_dtype, value_shape=()):
    """A tensor of `shape + value_shape` from a flat list of Python values (or of `value_shape` arrays)."""
    full = tuple(shape) + tuple(value_shape)
    if value_dtype == STRING:
        array = np.empty((len(values),) + tuple(value_shape), dtype=object)
        for i, v in enumerate(values):
            array[i] = v
        return _strings.StringTensor._wrap(array.reshape(full))
    if value_shape:
        array = np.stack([np.asarray(v) for v in values]) if values else np.empty(full)
        return torch.as_tensor(array.reshape(full)).to(value_dtype)
    return torch.tensor(values, dtype=value_dtype).reshape(full)


def parse(text, dtype, what):
    """A key or value read from a text file, as `dtype`."""
    if dtype == STRING:
        return text
    try:
        if dtype.is_floating_point:
            return float(text)
        return int(text)
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, f"{what}: field {text.decode(errors='replace')!r} is not a valid {dtype_name(dtype)}."
        ) from None
