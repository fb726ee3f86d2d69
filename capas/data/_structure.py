"""Elements and their specs: conversion, `element_spec`, stacking and padding.

An element is a structure (tuple, dict, namedtuple, list) of leaves. A leaf is
a `torch.Tensor`, or a string value. Strings are handled only by the helpers
at the top of this file (`is_string`, `make_string`, `StringSpec`), so that
the capas string tensor can replace them in one place.
"""

import numpy as np
import torch

from capas._nest import flatten, map_structure
from capas.data import _ragged
from capas.ops._convert import as_torch_dtype, convert_to_tensor, dtype_name
from capas.ops.tensor_shape import TensorShape
from capas.ops.tensor_spec import TensorSpec

# ----------------------------------------------------------------- strings
try:  # the capas string tensor, where this tree has it
    from capas.ops.strings import StringTensor as _StringTensor
    from capas.ops.strings import string
except ImportError:  # until then: numpy object arrays of bytes, and a stand-in dtype
    _StringTensor = None

    class _StringDType:
        """Stands for `tf.string` until capas has its own string dtype."""

        name = "string"

        def __repr__(self):
            return "tf.string"

    string = _StringDType()


def is_string(value):
    """True for a string leaf: a string tensor, bytes, str, or a numpy array of bytes/str/objects."""
    if isinstance(value, (bytes, str)) or (_StringTensor is not None and isinstance(value, _StringTensor)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "OSU"


def make_string(value):
    """A string leaf: a capas string tensor when capas has one, else a numpy object array of
    `bytes` (shape () for one string)."""
    arr = np.asarray(value, dtype=object)
    flat = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    out = out.reshape(arr.shape)
    return _StringTensor._wrap(out) if _StringTensor is not None else out


class StringSpec(TensorSpec):
    """The `TensorSpec` of a string leaf (`dtype=tf.string`)."""

    def __init__(self, shape, name=None):
        self.shape = TensorShape(shape)
        self.dtype = string
        self.name = name

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype=tf.string, name={self.name!r})"


def _is_string_dtype(dtype):
    return dtype is string or dtype == "string" or getattr(dtype, "name", None) == "string"


# ---------------------------------------------------------------- leaves
def to_leaf(value, dtype=None):
    """Python/numpy/torch value -> a tensor leaf (TF's conversion rules), a string leaf, or a RaggedTensor."""
    if isinstance(value, _ragged.RaggedTensor):
        return value
    if dtype is not None and _is_string_dtype(dtype):
        return make_string(value)
    if isinstance(value, torch.Tensor):
        return value if dtype is None else value.to(as_torch_dtype(dtype))
    if is_string(value) or (
        isinstance(value, (list, tuple)) and value and all(is_string(v) for v in flatten(list(value)))
    ):
        return make_string(value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    return convert_to_tensor(value, dtype=dtype)


def flatten_element(value):
    """The leaves of an element, as tf.data sees them: tuples and dicts nest, lists are values."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in flatten_element(v)]
    if isinstance(value, tuple):
        return [leaf for v in value for leaf in flatten_element(v)]
    return [value]


def pack_element(structure, flat):
    """Rebuild `structure` (tuples and dicts; lists are leaves) from `flat`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            return {k: build(v) for k, v in s.items()}
        if isinstance(s, tuple):
            items = [build(v) for v in s]
            return type(s)(*items) if hasattr(s, "_fields") else tuple(items)
        return next(it)

    return build(structure)


def to_element(structure, dtypes=None):
    """Convert every leaf of `structure` (a list at the top counts as a tuple, as TF does for
    what a map function returns; lists below the top are values, converted to tensors)."""
    if isinstance(structure, list) and dtypes is None and any(isinstance(v, (tuple, dict)) for v in structure):
        structure = tuple(structure)
    flat = flatten_element(structure)
    if dtypes is None:
        return pack_element(structure, [to_leaf(v) for v in flat])
    flat_dtypes = flatten(dtypes)
    if len(flat_dtypes) != len(flat):
        raise ValueError(f"Dataset: the element {structure!r} does not match the structure of {dtypes!r}.")
    return pack_element(structure, [to_leaf(v, d) for v, d in zip(flat, flat_dtypes)])


def pack_as(structure, flat):
    """Rebuild `structure` (a spec or element without lists) from `flat`, in `flatten` order."""
    it = iter(flat)
    return map_structure(lambda _: next(it), structure)


def leaf_shape(leaf):
    return tuple(leaf.shape) if hasattr(leaf, "shape") else ()


def to_numpy(leaf):
    """A leaf as numpy (`bytes` for a scalar string, as TF's `as_numpy_iterator`)."""
    if isinstance(leaf, torch.Tensor):
        return leaf.detach().cpu().numpy()
    if isinstance(leaf, _ragged.RaggedTensor):  # an object array of rows, as TF
        return leaf.numpy()
    if _StringTensor is not None and isinstance(leaf, _StringTensor):
        return leaf.numpy()
    if isinstance(leaf, np.ndarray) and leaf.dtype == object and leaf.shape == ():
        return leaf.item()
    return leaf


# ------------------------------------------------------------------ specs
def spec_of_leaf(leaf):
    if isinstance(leaf, _ragged.RaggedTensor):
        return _ragged.spec_of_ragged(leaf)
    if is_string(leaf):
        return StringSpec(leaf_shape(np.asarray(leaf, dtype=object)))
    return TensorSpec(tuple(leaf.shape), leaf.dtype)


def spec_of(element):
    """The `element_spec` of one element."""
    return map_structure(spec_of_leaf, element)


def make_spec(shape, dtype):
    return StringSpec(shape) if _is_string_dtype(dtype) else TensorSpec(shape, dtype)


def relax(spec_a, spec_b):
    """The most specific spec both specs satisfy (differing dims become None)."""

    def one(a, b):
        if _ragged.is_ragged_spec(a) or _ragged.is_ragged_spec(b):
            return _ragged.relax(a, b) or a
        if a.shape.rank != b.shape.rank:
            dims = None
        else:
            dims = [x if x == y else None for x, y in zip(a.shape.as_list(), b.shape.as_list())]
        return make_spec(dims, a.dtype)

    flat = [one(a, b) for a, b in zip(flatten(spec_a), flatten(spec_b))]
    return pack_as(spec_a, flat)


def batch_spec(spec, batch_dim):
    def one(s):
        if _ragged.is_ragged_spec(s):
            return _ragged.batch_spec(s, batch_dim)
        return make_spec([batch_dim] + list(s.shape.as_list() or []), s.dtype)

    return map_structure(one, spec)


def unbatch_spec(spec):
    def one(s):
        if _ragged.is_ragged_spec(s):
            return _ragged.unbatch_spec(s, make_spec)
        return make_spec(s.shape.as_list()[1:], s.dtype)

    return map_structure(one, spec)


def ragged_ranks(spec):
    """Per leaf (in `flatten` order) the ragged_rank of a ragged spec, else None; None if no leaf is ragged."""
    flat = flatten(spec)
    if not any(_ragged.is_ragged_spec(s) for s in flat):
        return None
    return [s.ragged_rank if _ragged.is_ragged_spec(s) else None for s in flat]


def dtype_str(dtype):
    return "string" if _is_string_dtype(dtype) else dtype_name(dtype)


def dummy_element(spec, fill, text=b""):
    """A placeholder element shaped like `spec`: unknown dims have size `fill`, values are `fill`
    (so a shape computed from the values shows up as unknown when traced with two fills);
    strings hold `text`."""
    import capas.data.dataset as _ds  # in-function: import cycle data.dataset -> this module

    def one(s):
        if type(s).__name__ == "DatasetSpec":
            return _ds.Dataset(lambda: iter(()), 0, s.element_spec)
        if _ragged.is_ragged_spec(s):
            return _ragged.dummy(s, fill, lambda shape: dense(shape, s.dtype))
        shape = [fill if d is None else d for d in (s.shape.as_list() or [])]
        return dense(shape, s.dtype)

    def dense(shape, dtype):
        if _is_string_dtype(dtype):
            return make_string(np.full(shape, text, dtype=object))
        return torch.full(shape, fill, dtype=dtype)

    return map_structure(one, spec)


# -------------------------------------------------------- stack and pad
def stack(elements, ragged=None):
    """Stack a list of like elements along a new first axis.

    `ragged` (from `ragged_ranks`) names the leaves to batch into RaggedTensors; a leaf that
    is a RaggedTensor is batched into one with a ragged dim more in any case.
    """
    if ragged is not None or any(isinstance(leaf, _ragged.RaggedTensor) for leaf in flatten(elements[0])):
        flat = [flatten(e) for e in elements]
        ranks = ragged or [None] * len(flat[0])
        leaves = []
        for j, rank in enumerate(ranks):
            column = [f[j] for f in flat]
            if rank is None and isinstance(column[0], _ragged.RaggedTensor):
                rank = column[0].ragged_rank
            leaves.append(_stack_leaf(column) if rank is None else _ragged.stack(column, rank))
        return pack_as(elements[0], leaves)
    return _stack_leaf(elements)


def _stack_leaf(elements):
    first = elements[0]
    if isinstance(first, dict):
        return {k: stack([e[k] for e in elements]) for k in first}
    if isinstance(first, tuple):
        items = [stack([e[i] for e in elements]) for i in range(len(first))]
        return type(first)(*items) if hasattr(first, "_fields") else tuple(items)
    if isinstance(first, list):
        return [stack([e[i] for e in elements]) for i in range(len(first))]
    if is_string(first):
        return make_string(np.stack([np.asarray(e, dtype=object) for e in elements]))
    shapes = {tuple(e.shape) for e in elements}
    if len(shapes) > 1:
        raise ValueError(
            f"Dataset.batch: cannot batch elements of different shapes {sorted(shapes)}; "
            "use padded_batch (or ragged_batch) for variable-length elements."
        )
    return torch.stack(elements)


def pad_stack(leaves, padded_shape, padding_value):
    """Stack leaves after padding each to `padded_shape` (None dims: the batch's largest)."""
    rank = len(leaf_shape(leaves[0]))
    target = list(padded_shape) if padded_shape is not None else [None] * rank
    if len(target) != rank:
        raise ValueError(
            f"Dataset.padded_batch: padded_shapes {target} has rank {len(target)}, the element rank {rank}."
        )
    for i, d in enumerate(target):
        largest = max(leaf_shape(x)[i] for x in leaves)
        if d is None or d == -1:
            target[i] = largest
        elif largest > d:
            raise ValueError(f"Dataset.padded_batch: an element of size {largest} in dim {i} exceeds padded shape {d}.")
    if is_string(leaves[0]):
        fill = b"" if padding_value is None else np.asarray(make_string(padding_value), dtype=object).item()
        out = np.full([len(leaves)] + target, fill, dtype=object)
        for j, x in enumerate(leaves):
            x = np.asarray(x, dtype=object)
            out[(j,) + tuple(slice(0, n) for n in x.shape)] = x
        return make_string(out)
    fill = 0 if padding_value is None else padding_value
    if isinstance(fill, torch.Tensor):
        fill = fill.item()
    out = torch.full([len(leaves)] + target, fill, dtype=leaves[0].dtype)
    for j, x in enumerate(leaves):
        out[(j,) + tuple(slice(0, n) for n in x.shape)] = x
    return out


def first_dim(element):
    sizes = {leaf_shape(x)[0] if leaf_shape(x) else None for x in flatten(element)}
    if None in sizes:
        raise ValueError(
            "Dataset: cannot slice or unbatch a scalar component; every component needs a first dimension."
        )
    if len(sizes) != 1:
        raise ValueError(f"Dataset: all components need the same first dimension; got {sorted(sizes)}.")
    return sizes.pop()


def row(element, i):
    """Row `i` of every component (a string component stays a 0-d array, not bytes)."""
    return map_structure(lambda t: t[i, ...] if isinstance(t, np.ndarray) else t[i], element)
