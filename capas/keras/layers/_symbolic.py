"""Symbolic tensors, graph nodes, and shape inference that never touches state.

`keras.Input` returns a `KerasTensor`: a shape (with `None` for unknown
dims), a dtype and the layer/node that produced it. Calling a layer on
KerasTensors runs the layer's `call` on *fake* tensors (PyTorch's
`FakeTensorMode`: shapes and dtypes, no data, no memory), twice, with two
different sizes standing in for each unknown dim, to learn which output dims
are unknown. Variables are never written (in-place ops on real tensors under
fake mode touch a fake copy), `add_loss` is ignored, and weights are created
for real by leaving fake mode while a layer builds. When a layer's `call`
needs real values (a Python branch on data, `.numpy()`), the fallback runs it
on real zeros and restores every variable of the layer afterwards. A string
KerasTensor (`keras.Input(dtype='string')`) has no fake form: layers called on
one run for real on placeholder StringTensors (`_run_on_strings`).
"""

import contextlib
import threading
import re

import numpy as np
import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch._subclasses.fake_tensor import unset_fake_temporarily
from torch._subclasses.fake_tensor import DataDependentOutputException, DynamicOutputShapeException

from capas._nest import flatten, map_structure  # noqa: F401  (re-exported for layers/models)
from capas.ops._convert import as_torch_dtype, convert_to_tensor, dtype_name
from capas.ops import strings as _strings

_state = threading.local()

# Stand-ins for unknown dims: two primes, so that strided or halved sizes
# still differ between the two runs.
_PROBE_SIZES = (83, 89)


def in_symbolic_call():
    """True while a layer runs on fake tensors for shape inference."""
    return getattr(_state, "symbolic", 0) > 0


@contextlib.contextmanager
def _symbolic_scope():
    _state.symbolic = getattr(_state, "symbolic", 0) + 1
    try:
        yield
    finally:
        _state.symbolic -= 1


def is_string_dtype(dtype):
    """True for the spellings of `tf.string`: the dtype object, 'string' / 'str', the `str` type."""
    if dtype is _strings.string or dtype is str:
        return True
    return isinstance(dtype, str) and dtype.lower() in ("string", "str", "tf.string")


def symbolic_dtype_name(dtype):
    """The Keras name of a KerasTensor's dtype: 'string' for string tensors, else as `dtype_name`."""
    return "string" if is_string_dtype(dtype) else dtype_name(dtype)


class KerasTensor:
    """A symbolic tensor of the functional API: shape, dtype and history.

    Args:
        shape: tuple of ints or None (the batch dim is usually None).
        dtype: any dtype spelling; float32 by default.
        name: optional name (Input names name model inputs).
    """

    _is_keras_tensor = True
    __array_priority__ = 1000  # `np_array - keras_tensor` defers to __rsub__ (a graph node), as for tensors

    def __init__(self, shape, dtype="float32", sparse=False, name=None, record_history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = _strings.string if is_string_dtype(dtype) else (as_torch_dtype(dtype) or torch.float32)
        self.sparse = bool(sparse)
        self.name = name
        self._keras_history = None
        self._keras_mask = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        label = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={symbolic_dtype_name(self.dtype)}{label}>"

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __iter__(self):
        raise TypeError(
            "A symbolic KerasTensor cannot be iterated over. To split it, use a layer "
            "(e.g. layers.Lambda or tf ops inside a custom layer's call())."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no value: it cannot be used as a Python bool "
            "(in `if` or `while`). Move data-dependent logic into a custom layer's call()."
        )

    def numpy(self):
        raise TypeError(
            "A symbolic KerasTensor (from keras.Input) has no value yet. Build a model "
            "with keras.Model(inputs, outputs) and call it on data to get numbers."
        )

    # Arithmetic on symbolic tensors becomes an op node in the graph.
    def _op(self, fn, *args):
        # in-function: import cycle keras.layers._op_layer -> keras.layers.layer -> this module
        from capas.keras.layers._op_layer import op_node

        if fn is not _getitem:  # numpy and list operands are constants of this tensor's dtype, as in TF
            args = tuple(
                convert_to_tensor(a, dtype=self.dtype) if isinstance(a, (np.ndarray, list)) else a for a in args
            )
        return op_node(fn, (self,) + args)

    def __add__(self, other):
        return self._op(torch.add, other)

    def __radd__(self, other):
        return self._op(_rev(torch.add), other)

    def __sub__(self, other):
        return self._op(torch.sub, other)

    def __rsub__(self, other):
        return self._op(_rev(torch.sub), other)

    def __mul__(self, other):
        return self._op(torch.mul, other)

    def __rmul__(self, other):
        return self._op(_rev(torch.mul), other)

    def __truediv__(self, other):
        return self._op(torch.div, other)

    def __rtruediv__(self, other):
        return self._op(_rev(torch.div), other)

    def __matmul__(self, other):
        return self._op(torch.matmul, other)

    def __pow__(self, other):
        return self._op(torch.pow, other)

    def __neg__(self):
        return self._op(torch.neg)

    def __abs__(self):
        return self._op(torch.abs)

    def __getitem__(self, key):
        return self._op(_getitem, key)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        # in-function: import cycle keras.layers._op_layer -> keras.layers.layer -> this module
        from capas.keras.layers._op_layer import op_node

        return op_node(func, args, kwargs or {})


def _getitem(x, key):
    return x[key]


def _rev(fn):
    def reversed_op(x, other):
        return fn(other, x)

    reversed_op.__name__ = f"r{fn.__name__}"
    return reversed_op


class Node:
    """One call of a layer on symbolic tensors: the edge set of the graph."""

    def __init__(self, layer, args, kwargs, outputs):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs
        self.flat_outputs = flatten(outputs)
        self.input_tensors = [t for t in flatten((args, kwargs)) if is_keras_tensor(t)]
        self.parent_nodes = []
        for t in self.input_tensors:
            if t._keras_history is not None:
                self.parent_nodes.append(t._keras_history[0]._inbound_nodes[t._keras_history[1]])
        layer._inbound_nodes.append(self)
        index = len(layer._inbound_nodes) - 1
        for i, t in enumerate(self.flat_outputs):
            t._keras_history = (layer, index, i)

    @property
    def is_input(self):
        return not self.input_tensors


def is_keras_tensor(x):
    return getattr(type(x), "_is_keras_tensor", False)


def any_symbolic(structure):
    return any(is_keras_tensor(t) for t in flatten(structure))


def _fake_mode():
    return FakeTensorMode(allow_non_fake_inputs=True)


@contextlib.contextmanager
def real_mode():
    """Leave fake mode for the block (weights must be created for real)."""
    with unset_fake_temporarily():
        with torch.no_grad():
            yield


def _shape_with(shape, size):
    return tuple(size if d is None else d for d in shape)


def compute_output_spec(fn, args, kwargs, owner=None):
    """Run `fn(*args, **kwargs)` (KerasTensors inside) without touching state.

    Returns the outputs as KerasTensors, with None where a dim followed an
    unknown input dim.
    """
    runs = []
    inputs = [t for t in flatten((args, kwargs)) if is_keras_tensor(t)]
    strings_in = any(t.dtype is _strings.string for t in inputs)
    for probe, size in enumerate(_PROBE_SIZES):
        try:
            if strings_in:  # no fake string tensors: run the real call on placeholder strings
                runs.append(_run_on_strings(fn, args, kwargs, size, probe, owner))
            else:
                try:
                    runs.append(_run_fake(fn, args, kwargs, size))
                except _NeedsRealValues:
                    runs.append(_run_real(fn, args, kwargs, size, owner))
        except Exception as exc:
            _speak_symbolically(exc, size, args, kwargs)
            raise
        # String placeholders hold a different number of words in each run, so both runs are
        # needed to tell data-dependent dims (TextVectorization's sequence length) from fixed ones.
        if not strings_in and not any(d is None for t in inputs for d in t.shape):
            break
    first = runs[0]
    second = runs[-1]

    def to_keras_tensor(a, b):
        if isinstance(a, _strings.StringTensor):
            return KerasTensor(
                tuple(da if da == db else None for da, db in zip(a.shape, b.shape)), dtype=_strings.string
            )
        if not isinstance(a, torch.Tensor):
            return a
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        out = KerasTensor(shape, dtype=a.dtype)
        mask_a = getattr(a, "_keras_mask", None)
        if isinstance(mask_a, torch.Tensor):
            mask_b = getattr(b, "_keras_mask", mask_a)
            mask_shape = tuple(da if da == db else None for da, db in zip(mask_a.shape, mask_b.shape))
            out._keras_mask = KerasTensor(mask_shape, dtype=mask_a.dtype)
        return out

    flat_a = flatten(first)
    flat_b = flatten(second)
    converted = iter([to_keras_tensor(a, b) for a, b in zip(flat_a, flat_b)])
    return map_structure(lambda _: next(converted), first)


_SIZE_IN_SHAPE = r"(?<=[\(\[ ,]){}(?=\s*[,\)\]])"


def _speak_symbolically(exc, size, args, kwargs):
    """Rewrite `exc`'s message in the user's terms: `None` for the probe size, KerasTensor for FakeTensor.

    The probe size is replaced only inside shapes (`(83, 3)`, `[83, 4]`), and not at all when a
    known dim of the inputs has that size, so no real dim is ever shown as None.
    """
    if len(exc.args) != 1 or not isinstance(exc.args[0], str):
        return
    text = exc.args[0].replace("FakeTensor", "KerasTensor")
    known = {d for t in flatten((args, kwargs)) if is_keras_tensor(t) for d in t.shape if d is not None}
    if size not in known:
        text = re.sub(_SIZE_IN_SHAPE.format(size), "None", text)
    exc.args = (text,)


class _NeedsRealValues(Exception):
    pass


def _with_mask(value, keras_tensor, size):
    """Give the stand-in tensor of a masked KerasTensor an all-True mask (`_keras_mask`)."""
    mask = keras_tensor._keras_mask
    if mask is not None and is_keras_tensor(mask):
        value._keras_mask = torch.ones(_shape_with(mask.shape, size), dtype=mask.dtype)
    return value


def _run_fake(fn, args, kwargs, size):
    mode = _fake_mode()
    with mode, _symbolic_scope(), torch.no_grad():

        def to_fake(t):
            if is_keras_tensor(t):
                return _with_mask(torch.empty(_shape_with(t.shape, size), dtype=t.dtype), t, size)
            return t

        fake_args = map_structure(to_fake, args)
        fake_kwargs = map_structure(to_fake, kwargs)
        try:
            out = fn(*fake_args, **fake_kwargs)
        except (DataDependentOutputException, DynamicOutputShapeException) as exc:
            raise _NeedsRealValues() from exc
        except RuntimeError as exc:
            text = str(exc)
            if "FakeTensor" in text or "tensor subclasses" in text or "data-dependent" in text.lower():
                raise _NeedsRealValues() from exc
            raise
        except TypeError as exc:
            if "FakeTensor" in str(exc) or "numpy" in str(exc):
                raise _NeedsRealValues() from exc
            raise
    return out


def _run_real(fn, args, kwargs, size, owner):
    saved = []
    if owner is not None:
        for v in owner.state_tensors():
            saved.append((v, v.detach().clone()))
    with _symbolic_scope(), torch.no_grad():

        def to_zeros(t):
            if is_keras_tensor(t):
                return _with_mask(torch.zeros(_shape_with(t.shape, size), dtype=t.dtype), t, size)
            return t

        try:
            out = fn(*map_structure(to_zeros, args), **map_structure(to_zeros, kwargs))
        finally:
            for v, value in saved:
                if v.shape == value.shape:
                    v.copy_(value)
    return out


def _string_placeholder(shape, probe):
    """A StringTensor of `shape` whose every item holds `probe + 1` words ('a', 'a a', ...)."""
    array = np.empty(shape, dtype=object)
    array.fill(b" ".join([b"a"] * (probe + 1)))
    return _strings.StringTensor._wrap(array)


def _run_on_strings(fn, args, kwargs, size, probe, owner):
    """Shape inference with string inputs: the real call on placeholder strings, state restored."""

    def to_placeholder(t):
        if is_keras_tensor(t) and t.dtype is _strings.string:
            return _string_placeholder(_shape_with(t.shape, size), probe)
        return t

    try:
        return _run_real(fn, map_structure(to_placeholder, args), map_structure(to_placeholder, kwargs), size, owner)
    except Exception as exc:
        if owner is None or getattr(owner, "_accepts_strings", False):
            raise
        raise TypeError(
            f"Layer '{owner.name}' ({type(owner).__name__}) cannot take a string input (a KerasTensor of "
            "dtype string, e.g. from keras.Input(dtype='string')): it computes on numbers. Turn the "
            "strings into numbers first with layers.StringLookup, layers.Hashing or "
            f"layers.TextVectorization, and call '{owner.name}' on their output. ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        ) from exc
