"""The keras.backend helpers tutorials call on variables and dtypes: get_value, set_value, dtype names."""

import numpy as np
import torch

from capas.ops._convert import as_torch_dtype
from capas.keras.utils import naming
from capas.keras import config


def get_value(x):
    """The value of a variable or tensor as a numpy array (Python scalars pass through).

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> keras.backend.get_value(tf.Variable([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    if isinstance(x, torch.Tensor):
        return np.asarray(x.detach().cpu().numpy())  # a 0-d array, not the numpy scalar .numpy() gives
    if hasattr(x, "numpy"):
        return x.numpy()
    return x


def set_value(x, value):
    """Assign `value` to the variable `x` in place (e.g. an optimizer's learning rate).

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> v = tf.Variable([1.0, 2.0])
    >>> keras.backend.set_value(v, [3.0, 4.0])
    >>> v.numpy().tolist()
    [3.0, 4.0]
    """
    if hasattr(x, "assign"):
        x.assign(value)
        return
    if isinstance(x, torch.Tensor):
        with torch.no_grad():
            x.copy_(torch.as_tensor(np.asarray(value), dtype=x.dtype))
        return
    raise TypeError(
        f"keras.backend.set_value: {type(x).__name__} is not a variable; pass a Variable or tensor to assign to "
        "(for a learning rate, set `optimizer.learning_rate = value`)."
    )


def standardize_dtype(dtype):
    """A dtype (string, torch, numpy or Python type) -> its Keras name ("float32", "int64", ...).

    Example:

    >>> from capas import keras
    >>> keras.backend.standardize_dtype(float), keras.backend.standardize_dtype("float")
    ('float32', 'float32')
    """
    if dtype is None:
        return config.floatx()
    if dtype is int:
        return "int64"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    if hasattr(dtype, "name") and not isinstance(dtype, (str, torch.dtype)):
        dtype = dtype.name
    if isinstance(dtype, np.dtype):
        dtype = dtype.name
    if dtype is str or (isinstance(dtype, str) and dtype.lower() in ("string", "str")):
        return "string"  # tf.string (keras.Input(dtype='string'), StringTensor.dtype)
    torch_dtype = as_torch_dtype(dtype)
    return str(torch_dtype).replace("torch.", "")


def is_float_dtype(dtype):
    """Whether `dtype` is a floating-point dtype."""
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """Whether `dtype` is an integer dtype."""
    return standardize_dtype(dtype).startswith(("int", "uint"))


def result_type(*dtypes):
    """The dtype that an op on tensors of `dtypes` returns (torch's promotion; weak Python types)."""
    if not dtypes:
        return config.floatx()
    result = None
    for d in dtypes:
        t = as_torch_dtype(standardize_dtype(d)) if d not in (int, float, bool) else None
        if t is None:
            continue
        result = t if result is None else torch.promote_types(result, t)
    if result is None:
        return standardize_dtype(dtypes[0])
    if float in dtypes and not result.is_floating_point:
        return config.floatx()
    return str(result).replace("torch.", "")


def int_shape(x):
    """The shape of `x` as a tuple (None for unknown symbolic dimensions)."""
    return tuple(x.shape)


def count_params(x):
    """The number of entries of the variable `x`."""
    return int(np.prod(tuple(x.shape)))


def get_uid(prefix=""):
    """1, 2, 3, ... : a counter per `prefix` (reset by `clear_session`)."""
    counter = naming._counter()
    counter[f"uid:{prefix}"] += 1
    return counter[f"uid:{prefix}"]
