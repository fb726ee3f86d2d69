"""Trace keys: what makes `tf.function` trace again (TF's TraceType rules, simplified).

A tensor (a string tensor too) contributes its dtype, device and shape (dims may be None after
`reduce_retracing` or from an `input_signature`); a variable its identity; a
Python number, string or None its type and value; lists, tuples and dicts
their structure; any other object its own hash and equality (held by weak
reference where it can be, as TF does), or its `__tf_tracing_type__()`.
"""

import weakref

import torch

from capas.ops._convert import dtype_name
from capas.ops.strings import StringTensor, string


class TensorKey:
    """A tensor argument: dtype, device and shape (a tuple with None dims, or None for any rank)."""

    __slots__ = ("_hash", "device", "dtype", "shape")

    def __init__(self, dtype, device, shape):
        self.dtype = dtype
        self.device = device
        self.shape = shape
        self._hash = hash((dtype, device, shape))

    def __eq__(self, other):
        return (
            type(other) is TensorKey
            and self.dtype == other.dtype
            and self.shape == other.shape
            and self.device == other.device
        )

    def __hash__(self):
        return self._hash

    def accepts(self, other):
        """True when a call whose tensor has key `other` may use a trace made for `self`."""
        if type(other) is not TensorKey or other.dtype != self.dtype:
            return False
        if self.device is not None and other.device != self.device:
            return False
        if self.shape is None:
            return True
        if other.shape is None or len(other.shape) != len(self.shape):
            return False
        return all(a is None or a == b for a, b in zip(self.shape, other.shape))

    def __repr__(self):
        shape = "<unknown>" if self.shape is None else tuple(self.shape)
        dtype = "string" if self.dtype is string else dtype_name(self.dtype)
        return f"TensorSpec(shape={shape}, dtype=tf.{dtype}, name=None)"


class _ObjectKey:
    """Any other Python object: matched by its own equality while it is alive."""

    __slots__ = ("_hash", "ref")

    def __init__(self, obj):
        try:
            self.ref = weakref.ref(obj)
        except TypeError:
            self.ref = lambda obj=obj: obj
        try:
            self._hash = hash(obj)
        except TypeError:
            self._hash = id(obj)

    def __eq__(self, other):
        if type(other) is not _ObjectKey or self._hash != other._hash:
            return False
        mine, theirs = self.ref(), other.ref()
        if mine is None or theirs is None:
            return False
        if mine is theirs:
            return True
        try:
            return bool(mine == theirs)
        except Exception:  # noqa: BLE001 - objects whose equality cannot answer are different
            return False

    def __hash__(self):
        return self._hash


class _VariableKey(_ObjectKey):
    """A variable: its identity (TF includes the variable's resource id)."""

    __slots__ = ()

    def __init__(self, variable):
        self.ref = weakref.ref(variable)
        self._hash = id(variable)

    def __eq__(self, other):
        return type(other) is _VariableKey and self.ref() is other.ref() is not None

    def __repr__(self):
        variable = self.ref()
        return "<deleted variable>" if variable is None else f"<tf.Variable '{variable.name}'>"

    def __hash__(self):
        return self._hash


_LITERALS = (bool, int, float, complex, str, bytes, type(None))


def make_key(value, tensors):
    """The trace key of one argument; appends its tensors (variables too) to `tensors`.

    A string tensor is a tensor argument of dtype `tf.string` (its shape counts, its value
    does not), as in TF; it is not appended to `tensors` (a traced graph has no string ops),
    and a trace that takes one runs its Python on each call (`holds_strings`).
    """
    if isinstance(value, torch.Tensor):
        tensors.append(value)
        if isinstance(value, torch.nn.Parameter):
            return _VariableKey(value)
        return TensorKey(value.dtype, value.device, tuple(value.shape))
    if isinstance(value, _LITERALS):
        return (type(value), value)
    if isinstance(value, StringTensor):
        return TensorKey(string, None, tuple(value.shape))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(make_key(v, tensors) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, make_key(value[k], tensors)) for k in sorted(value, key=repr)))
    tracing_type = getattr(value, "__tf_tracing_type__", None)
    if tracing_type is not None:
        return tracing_type(None)
    return _ObjectKey(value)


def holds_strings(value):
    """True when `value` (an argument structure) holds a string tensor."""
    if isinstance(value, StringTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(holds_strings(v) for v in value)
    if isinstance(value, dict):
        return any(holds_strings(v) for v in value.values())
    return False


def accepts(traced, call):
    """True when a call with key `call` may run the trace made for key `traced`."""
    if type(traced) is TensorKey:
        return traced.accepts(call)
    if type(traced) is tuple and type(call) is tuple and len(traced) == len(call):
        return all(accepts(a, b) for a, b in zip(traced, call))
    return traced == call


class _NoCommonKey(Exception):
    pass


def generalize(traced, call):
    """The most specific key both keys fit (differing dims become None), or None if there is none."""
    try:
        return _generalize(traced, call)
    except _NoCommonKey:
        return None


def _generalize(traced, call):
    if type(traced) is TensorKey and type(call) is TensorKey:
        if traced.dtype != call.dtype or traced.device != call.device:
            raise _NoCommonKey
        if traced.shape is None or call.shape is None or len(traced.shape) != len(call.shape):
            return TensorKey(traced.dtype, traced.device, None)
        shape = tuple(a if a == b else None for a, b in zip(traced.shape, call.shape))
        return TensorKey(traced.dtype, traced.device, shape)
    if type(traced) is tuple and type(call) is tuple and len(traced) == len(call):
        return tuple(_generalize(a, b) for a, b in zip(traced, call))
    if traced == call:
        return traced
    raise _NoCommonKey


def spec_key(spec):
    """The key an `input_signature` entry (a TensorSpec, or a nest of them) stands for."""
    if isinstance(spec, (list, tuple)):
        return (type(spec), tuple(spec_key(s) for s in spec))
    if isinstance(spec, dict):
        return (dict, tuple((k, spec_key(spec[k])) for k in sorted(spec, key=repr)))
    dims = spec.shape.as_list() if spec.shape.rank is not None else None
    return TensorKey(spec.dtype, None, None if dims is None else tuple(dims))


def spec_repr(spec):
    if isinstance(spec, (list, tuple, dict)):
        return repr(spec)
    shape = "<unknown>" if spec.shape.rank is None else tuple(spec.shape.as_list())
    dtype = "string" if spec.dtype is string else dtype_name(spec.dtype)
    return f"TensorSpec(shape={shape}, dtype=tf.{dtype}, name={spec.name!r})"
