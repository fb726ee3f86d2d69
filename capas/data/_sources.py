"""Dataset sources: tensors, ranges, generators, zips and counters."""

import itertools

import numpy as np
import torch

import capas.data.dataset as _ds
from capas._nest import flatten, map_structure
from capas.data._structure import (
    first_dim,
    flatten_element,
    make_spec,
    pack_as,
    row,
    spec_of,
    to_element,
    to_leaf,
    unbatch_spec,
)
from capas.errors import InvalidArgumentError
from capas.ops._convert import as_torch_dtype
from capas.ops.tensor_spec import TensorSpec


def from_tensor_slices(tensors, name=None):
    """A dataset whose elements are the rows of `tensors` (sliced along the first axis).

    Args:
        tensors: a tensor, array or list, or a tuple/dict (nested) of them, all with
            the same first dimension.
        name: unused (TF's op name).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_tensor_slices(([1, 2], [3.0, 4.0]))
    >>> [(int(a), float(b)) for a, b in ds]
    [(1, 3.0), (2, 4.0)]
    """
    tensors = to_element(tensors)
    n = first_dim(tensors)
    spec = unbatch_spec(spec_of(tensors))

    def make_iter():
        for i in range(n):
            yield row(tensors, i)

    return _ds.Dataset(make_iter, n, spec, slices=tensors, order=lambda: range(n))


def from_tensors(tensors, name=None):
    """A dataset of one element: `tensors` itself.

    Example:

    >>> import capas as tf
    >>> [t.tolist() for t in tf.data.Dataset.from_tensors([1, 2])]
    [[1, 2]]
    """
    tensors = to_element(tensors)
    return _ds.Dataset(lambda: iter([tensors]), 1, spec_of(tensors))


def range_dataset(*args, output_type=torch.int64, name=None):
    """`range(start, stop, step)` as a dataset of scalars (int64 by default).

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.range(1, 7, 2)]
    [1, 3, 5]
    """
    r = range(*[int(a) for a in args])
    dtype = as_torch_dtype(output_type)

    def make_iter():
        for i in r:
            yield torch.tensor(i, dtype=dtype)

    return _ds.Dataset(make_iter, len(r), TensorSpec([], dtype))


def Counter(start=0, step=1, dtype=torch.int64, name=None):
    """`tf.data.experimental.Counter`: `Dataset.counter(start, step, dtype)`."""
    return counter(start, step, dtype, name)


def counter(start=0, step=1, dtype=torch.int64, name=None):
    """An infinite dataset `start, start + step, ...` (`tf.data.experimental.Counter`).

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.experimental.Counter(10, 5).take(3)]
    [10, 15, 20]
    """
    dtype = as_torch_dtype(dtype)

    def make_iter():
        for i in itertools.count(start, step):
            yield torch.tensor(i, dtype=dtype)

    return _ds.Dataset(make_iter, _ds.INFINITE_CARDINALITY, TensorSpec([], dtype))


def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None, name=None):
    """A dataset that calls `generator(*args)` on each pass and yields what it yields.

    The generator runs lazily, so a generator over data larger than memory
    streams. Each yielded value is converted to the declared dtypes and
    checked against the declared shapes.

    Args:
        generator: a callable returning an iterable.
        output_types: (legacy) a structure of dtypes.
        output_shapes: (legacy) a structure of shapes matching `output_types`.
        args: a tuple of arguments passed to `generator`.
        output_signature: a structure of `tf.TensorSpec` (the TF 2 spelling).

    Raises:
        ValueError: an element does not match the signature.

    Example:

    >>> import capas as tf
    >>> def gen():
    ...     for i in range(3):
    ...         yield i, [1.0] * i
    >>> ds = tf.data.Dataset.from_generator(gen, output_signature=(
    ...     tf.TensorSpec(shape=(), dtype=tf.int32), tf.TensorSpec(shape=(None,), dtype=tf.float32)))
    >>> [(int(a), b.tolist()) for a, b in ds]
    [(0, []), (1, [1.0]), (2, [1.0, 1.0])]
    """
    if not callable(generator):
        raise TypeError(f"Dataset.from_generator: `generator` must be a callable; received {type(generator).__name__}.")
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError("Dataset.from_generator: give output_signature, or output_types/output_shapes, not both.")
        spec = map_structure(lambda s: s, output_signature)
    elif output_types is not None:
        shapes = output_shapes
        if shapes is None:
            shapes = map_structure(lambda _: None, output_types)
        flat_types = flatten(output_types)
        flat_shapes = _flatten_shapes(shapes, len(flat_types))
        spec = pack_as(output_types, [make_spec(s, t) for t, s in zip(flat_types, flat_shapes)])
    else:
        spec = None
    converters = [_converter(s) for s in flatten(spec)] if spec is not None else None

    def make_iter():
        for element in generator(*(args or ())):
            if spec is None:
                yield to_element(element)
                continue
            yield _check(element, spec, converters)

    return _ds.Dataset(make_iter, _ds.UNKNOWN_CARDINALITY, spec)


def _flatten_shapes(shapes, n):
    # A shape is a list/tuple of ints/None: flatten down to shapes, not to dims.
    if n == 1 and (shapes is None or _is_shape(shapes)):
        return [shapes]
    out = []

    def walk(s):
        if s is None or _is_shape(s):
            out.append(s)
        elif isinstance(s, dict):
            for v in s.values():
                walk(v)
        else:
            for v in s:
                walk(v)

    walk(shapes)
    return out


def _is_shape(s):
    if hasattr(s, "as_list") or hasattr(s, "rank"):
        return True
    return isinstance(s, (list, tuple)) and all(d is None or isinstance(d, (int, np.integer)) for d in s)


def _converter(spec):
    """A function value -> leaf for one component of an output_signature (checks the shape)."""
    dims = spec.shape.as_list() if spec.shape.rank is not None else None
    dtype = spec.dtype
    to_tensor = isinstance(dtype, torch.dtype)

    def convert(value):
        if to_tensor and isinstance(value, (int, float, bool, np.ndarray, np.generic)):
            leaf = torch.tensor(value, dtype=dtype)  # the common case, without the generic conversion
        else:
            leaf = to_leaf(value, dtype)
        if dims is not None:
            shape = tuple(leaf.shape)
            if len(shape) != len(dims) or any(d is not None and d != n for d, n in zip(dims, shape)):
                raise InvalidArgumentError(  # TF: InvalidArgumentError (a ValueError in capas) when iterating
                    None,
                    None,
                    f"Dataset.from_generator: the generator yielded an element of shape {shape} where the "
                    f"output_signature expects {spec.shape}. Fix the generator or declare None for varying dims.",
                )
        return leaf

    return convert


def _tuples_to_lists(value):
    if isinstance(value, (tuple, list)):
        return [_tuples_to_lists(v) for v in value]
    return value


def _check(element, spec, converters):
    if len(converters) == 1 and not isinstance(spec, (tuple, list, dict)):
        # One TensorSpec: the whole element is one tensor, so `yield (i,)` gives shape (1,), as TF does.
        return converters[0](_tuples_to_lists(element) if isinstance(element, tuple) else element)
    if isinstance(element, list) and isinstance(spec, tuple):
        element = tuple(element)
    flat = flatten_element(element)
    if len(flat) != len(converters):
        raise ValueError(
            f"Dataset.from_generator: the generator yielded {element!r}, which does not match the structure of "
            f"output_signature {spec}."
        )
    if len(converters) == 1 and not isinstance(spec, (tuple, dict)):
        return converters[0](flat[0])
    return pack_as(spec, [convert(value) for value, convert in zip(flat, converters)])


def zip_datasets(*args, datasets=None, name=None):
    """Zip datasets into a dataset of tuples (or dicts): stops at the shortest.

    Example:

    >>> import capas as tf
    >>> a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)
    >>> [(int(x), int(y)) for x, y in tf.data.Dataset.zip(a, b)]
    [(0, 10), (1, 11)]
    """
    if datasets is None:
        datasets = args[0] if len(args) == 1 else tuple(args)
    elif args:
        raise TypeError("Dataset.zip: pass the datasets positionally or as `datasets=`, not both.")
    leaves = flatten(datasets)
    for d in leaves:
        if not isinstance(d, _ds.Dataset):
            raise TypeError(f"Dataset.zip: every component must be a Dataset; received {type(d).__name__}.")

    def make_iter():
        iters = [iter(d._make_iter()) for d in leaves]
        for values in zip(*iters):
            yield pack_as(datasets, list(values))

    lengths = [d._length for d in leaves]
    finite = [n for n in lengths if n >= 0]
    if finite:
        length = min(finite)
        if length and _ds.UNKNOWN_CARDINALITY in lengths:
            length = _ds.UNKNOWN_CARDINALITY
    elif _ds.UNKNOWN_CARDINALITY in lengths:
        length = _ds.UNKNOWN_CARDINALITY
    else:
        length = _ds.INFINITE_CARDINALITY
    return _ds.Dataset(make_iter, length, spec_fn=lambda: pack_as(datasets, [d.element_spec for d in leaves]))
