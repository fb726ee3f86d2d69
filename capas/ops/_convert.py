"""Dtype names and tensor conversion, the two things every other module needs.

TensorFlow's rules: Python floats become float32 and Python ints int32; numpy
arrays keep their dtype; dtypes may be given as strings (`'float32'`), torch
dtypes, numpy dtypes, or TensorFlow's integer enum values (`1` is float32, as
in the seed's `tf.ones(1, 1)`).
"""

import numpy as np
import torch

from capas.ops import strings as _strings

_NAME_TO_DTYPE = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}

# TensorFlow's DataType enum (types.proto): tf.ones(1, 1) means float32.
_TF_ENUM_TO_DTYPE = {
    1: torch.float32,
    2: torch.float64,
    3: torch.int32,
    4: torch.uint8,
    5: torch.int16,
    6: torch.int8,
    8: torch.complex64,
    9: torch.int64,
    10: torch.bool,
    14: torch.bfloat16,
    17: torch.uint16,
    18: torch.complex128,
    19: torch.float16,
    22: torch.uint32,
    23: torch.uint64,
}

_DTYPE_TO_NAME = {
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int8: "int8",
    torch.int16: "int16",
    torch.int32: "int32",
    torch.int64: "int64",
    torch.uint8: "uint8",
    torch.uint16: "uint16",
    torch.uint32: "uint32",
    torch.uint64: "uint64",
    torch.bool: "bool",
    torch.complex64: "complex64",
    torch.complex128: "complex128",
}


def as_torch_dtype(dtype):
    """Any dtype spelling -> `torch.dtype` (None stays None)."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, bool):
        raise TypeError(f"Invalid dtype {dtype!r}.")
    if isinstance(dtype, int):
        try:
            return _TF_ENUM_TO_DTYPE[dtype]
        except KeyError:
            raise TypeError(f"Unknown TensorFlow dtype enum value {dtype}.") from None
    if isinstance(dtype, str):
        key = dtype.lower()
        if key.startswith("torch."):
            key = key[6:]
        try:
            return _NAME_TO_DTYPE[key]
        except KeyError:
            raise TypeError(
                f"Unknown dtype '{dtype}'. Known names: {', '.join(sorted(set(_DTYPE_TO_NAME.values())))}."
            ) from None
    if dtype is float:
        return torch.float32
    if dtype is int:
        return torch.int32
    if dtype is bool:
        return torch.bool
    name = getattr(dtype, "name", None)  # DType objects, numpy dtypes
    if isinstance(name, str) and name.lower() in _NAME_TO_DTYPE:
        return _NAME_TO_DTYPE[name.lower()]
    try:
        return _NAME_TO_DTYPE[np.dtype(dtype).name]
    except (TypeError, KeyError):
        raise TypeError(f"Cannot interpret {dtype!r} as a dtype.") from None


def dtype_name(dtype):
    """`torch.float32` (or any spelling) -> `'float32'`."""
    return _DTYPE_TO_NAME[as_torch_dtype(dtype)]


def _default_dtype_for(value):
    if isinstance(value, bool):
        return torch.bool
    if isinstance(value, int):
        return torch.int32
    if isinstance(value, float):
        return torch.float32
    if isinstance(value, complex):
        return torch.complex128  # as TF (and numpy): a Python complex is double precision
    return None


def convert_to_tensor(value, dtype=None, device=None):
    """Turn a tensor, array, number or nested list into a `torch.Tensor`.

    Tensors pass through (cast only when `dtype` differs). Python numbers
    follow TensorFlow (float32, int32); numpy arrays keep their dtype.
    """
    if value.__class__ is torch.Tensor and dtype is None and device is None:  # the common call
        return value
    dtype = as_torch_dtype(dtype)
    if getattr(type(value), "_is_keras_tensor", False):
        return value  # symbolic: the op becomes a node of the functional graph
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype is not dtype:  # dtypes are singletons
            value = value.to(dtype)
        if device is not None and value.device != torch.device(device):
            value = value.to(device)
        return value
    dense = getattr(value, "__capas_dense__", None)  # tf.IndexedSlices (capas/ops/indexed_slices.py)
    if dense is not None:
        return convert_to_tensor(dense(), dtype=dtype, device=device)
    if _CONVERSIONS:  # tf.register_tensor_conversion_function
        converted = _registered_conversion(value, dtype)
        if converted is not None:
            return convert_to_tensor(converted, dtype=dtype, device=device)
    if _strings.is_string_value(value):  # tf.string values: capas/ops/strings.py (tfcore)
        return _strings.as_string_tensor(value, dtype)
    if isinstance(value, np.ndarray) or np.isscalar(value) and isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind in "USO":
            raise TypeError(
                f"Cannot convert an array of dtype {arr.dtype} to a tensor; "
                "capas tensors hold numbers and booleans only."
            )
        if not arr.flags.writeable or not arr.flags.c_contiguous:
            arr = np.ascontiguousarray(arr).copy()
        tensor = torch.from_numpy(arr)
    elif isinstance(value, (bool, int, float, complex)):
        tensor = torch.tensor(value, dtype=dtype or _default_dtype_for(value))
    elif isinstance(value, (list, tuple)):
        if any(isinstance(v, torch.Tensor) for v in _iter_flat(value)):
            tensor = torch.stack([convert_to_tensor(v) for v in value]) if value else torch.tensor([])
        else:
            arr = np.asarray(value)
            if arr.dtype == object or arr.dtype.kind in "USO":
                raise TypeError(f"Cannot convert {value!r} to a tensor: ragged or non-numeric.")
            if dtype is None:  # Python floats and ints default to float32 / int32, as TF
                if arr.dtype == np.float64:
                    arr = arr.astype(np.float32)
                elif arr.dtype == np.int64:
                    arr = arr.astype(np.int32)
            tensor = torch.from_numpy(arr)
    elif hasattr(value, "__array__"):
        return convert_to_tensor(np.asarray(value), dtype=dtype, device=device)
    else:
        raise TypeError(
            f"Cannot convert a value of type {type(value).__name__} to a tensor. "
            "Pass a torch.Tensor, a numpy array, a Python number or a (nested) list of numbers."
        )
    if dtype is not None and tensor.dtype != dtype:
        tensor = tensor.to(dtype)
    device = torch.get_default_device() if device is None else torch.device(device)
    if tensor.device != device:  # the default device is set by `with tf.device(...)`
        tensor = tensor.to(device)
    return tensor


_CONVERSIONS = []  # (priority, order, base_type, conversion_func), lowest priority first, as TF


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Teach `tf.convert_to_tensor` (and so every op) to convert instances of `base_type`.

    `conversion_func(value, dtype=None, name=None, as_ref=False)` returns a tensor (or
    NotImplemented to let the next function try). Functions with a lower `priority` run
    first, as in TF.

    >>> import capas as tf
    >>> class Meters:
    ...     def __init__(self, v):
    ...         self.v = v
    >>> tf.register_tensor_conversion_function(Meters, lambda m, dtype=None, name=None, as_ref=False: tf.constant(m.v))
    >>> tf.add(Meters(2.0), 1.0).numpy().item()
    3.0
    """
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError(
            f"tf.register_tensor_conversion_function: base_type must be a type or tuple of types; got {base_type!r}."
        )
    if any(issubclass(t, (np.ndarray, np.generic, torch.Tensor, bool, int, float, complex, str, bytes)) for t in types):
        raise TypeError(
            "Cannot register conversions for Python numeric types and NumPy scalars and arrays.\n"
            f"tf.register_tensor_conversion_function({base_type!r}): numbers, strings, numpy values and "
            "tensors already convert; register your own class instead."
        )
    if not callable(conversion_func):
        raise TypeError(
            f"tf.register_tensor_conversion_function: conversion_func must be callable; got {conversion_func!r}."
        )
    _CONVERSIONS.append((priority, len(_CONVERSIONS), types, conversion_func))
    _CONVERSIONS.sort(key=lambda item: (item[0], item[1]))


def _registered_conversion(value, dtype):
    for _, _, types, func in _CONVERSIONS:
        if isinstance(value, types):
            result = func(value, dtype=dtype, name=None, as_ref=False)
            if result is not NotImplemented:
                return result
    return None


def _iter_flat(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            yield from _iter_flat(v)
        else:
            yield v
