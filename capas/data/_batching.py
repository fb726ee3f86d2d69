"""Batching transformations: batch, padded_batch, unbatch, window, group_by_window,
bucket_by_sequence_length (each a `Dataset` method, `self` the input)."""

import collections

import torch

import capas.data.dataset as _ds
from capas._nest import flatten, map_structure
from capas.data._structure import (
    batch_spec,
    first_dim,
    is_string,
    make_spec,
    pack_as,
    pad_stack,
    ragged_ranks,
    relax,
    row,
    stack,
    to_leaf,
    unbatch_spec,
)
from capas.data._ragged import RaggedTensor, to_ragged_spec
from capas.data._transforms import call


def _batched_length(n, size, drop_remainder):
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


def _check_size(size, where):
    size = int(size)
    if size <= 0:
        raise ValueError(f"Dataset.{where}: batch_size must be positive, received {size}.")
    return size


def _chunks(iterable, size, drop_remainder):
    buffer = []
    for element in iterable:
        buffer.append(element)
        if len(buffer) == size:
            yield buffer
            buffer = []
    if buffer and not drop_remainder:
        yield buffer


def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
    """Stack `batch_size` consecutive elements into one (the last may be smaller).

    Args:
        batch_size: elements per batch.
        drop_remainder: drop a last batch smaller than `batch_size` (the batch
            dim of `element_spec` is then known).

    Example:

    >>> import capas as tf
    >>> [b.tolist() for b in tf.data.Dataset.range(5).batch(2)]
    [[0, 1], [2, 3], [4]]
    >>> tf.data.Dataset.range(5).batch(2, drop_remainder=True).element_spec
    TensorSpec(shape=(2,), dtype=tf.int64, name=None)
    """
    size = _check_size(batch_size, "batch")
    return _batch(self, size, drop_remainder)


def _batch(self, size, drop_remainder, as_batched=None):
    """`batch`; `ragged_batch` passes `as_batched` (element spec -> the spec its components are
    batched as). Components with a ragged spec become RaggedTensors: for `batch` when the spec is
    known without running anything, else by their values (RaggedTensors)."""
    length = _batched_length(self._length, size, drop_remainder)
    batch_dim = size if drop_remainder else None
    mark = as_batched or (lambda spec: spec)
    spec = _eager_spec(lambda s: batch_spec(mark(s), batch_dim), self._spec)
    spec_fn = None if spec is not None else lambda: batch_spec(mark(self.element_spec), batch_dim)
    slices = flatten(self._slices) if self._slices is not None else []
    plain = not any(is_string(t) or isinstance(t, RaggedTensor) for t in slices)
    if self._slices is not None and plain:
        tensors, order = self._slices, self._order

        def make_slices_iter():
            idx = torch.as_tensor(list(order()), dtype=torch.long)
            for start in range(0, len(idx), size):
                chunk = idx[start : start + size]
                if drop_remainder and len(chunk) < size:
                    return
                yield map_structure(lambda t, rows=chunk: t.index_select(0, rows), tensors)

        return self._derive(make_slices_iter, length, spec, spec_fn)

    def make_iter():
        known = mark(self.element_spec) if as_batched is not None else self._spec
        ragged = ragged_ranks(known) if known is not None else None
        for chunk in _chunks(self._make_iter(), size, drop_remainder):
            yield stack(chunk, ragged)

    return self._derive(make_iter, length, spec, spec_fn)


def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=torch.int64, name=None):
    """Batch elements of different shapes into `tf.RaggedTensor`s.

    A component whose spec has unknown dims is batched into a RaggedTensor (ragged up to
    its last unknown dim, as TF); a component of fully known shape is batched densely, and
    a ragged component gets one more ragged dim.

    Args:
        batch_size: elements per batch.
        drop_remainder: drop a last batch smaller than `batch_size`.
        row_splits_dtype: int64 (the dtype of capas's row splits).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).ragged_batch(2)
    >>> [b.to_list() for b in ds]
    [[[1], [2, 2]], [[3, 3, 3]]]
    """
    size = _check_size(batch_size, "ragged_batch")
    return _batch(self, size, drop_remainder, lambda spec: map_structure(to_ragged_spec, spec))


def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
    """Batch elements of different shapes, padding each component to a common shape.

    Args:
        batch_size: elements per batch.
        padded_shapes: per component, the shape to pad to; None (or -1) dims pad
            to the longest in the batch. Default: the element spec's shapes.
        padding_values: per component (or one for all), the fill value;
            default 0 (b"" for strings).
        drop_remainder: drop a last, smaller batch.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    >>> [b.tolist() for b in ds.padded_batch(2)]
    [[[1, 0], [2, 2]], [[3, 3, 3]]]
    """
    size = _check_size(batch_size, "padded_batch")

    def structure():
        spec = self.element_spec
        shapes = padded_shapes
        if shapes is None:
            shapes = map_structure(lambda s: s.shape.as_list(), spec)
        flat_spec = flatten(spec)
        flat_shapes = _flat_shapes(shapes, len(flat_spec))
        if padding_values is None or not isinstance(padding_values, (tuple, list, dict)):
            flat_values = [padding_values] * len(flat_spec)
        else:
            flat_values = flatten(padding_values)
        return spec, flat_spec, flat_shapes, flat_values

    def make_iter():
        _, flat_spec, flat_shapes, flat_values = structure()
        for chunk in _chunks(self._make_iter(), size, drop_remainder):
            flat_chunk = [flatten(e) for e in chunk]
            leaves = [
                pad_stack([e[j] for e in flat_chunk], flat_shapes[j], _value(flat_values[j]))
                for j in range(len(flat_spec))
            ]
            yield pack_as(chunk[0], leaves)

    def spec_fn():
        spec, flat_spec, flat_shapes, _ = structure()
        dims = [
            [size if drop_remainder else None] + [None if d in (None, -1) else int(d) for d in s] for s in flat_shapes
        ]
        return pack_as(spec, [make_spec(d, s.dtype) for d, s in zip(dims, flat_spec)])

    return self._derive(make_iter, _batched_length(self._length, size, drop_remainder), spec_fn=spec_fn)


def _value(v):
    if v is None or isinstance(v, (bytes, str)) or is_string(v):
        return v
    return to_leaf(v).item() if not isinstance(v, (int, float, bool)) else v


def _flat_shapes(shapes, n):
    def is_shape(s):
        if hasattr(s, "as_list"):
            return True
        return isinstance(s, (list, tuple)) and all(d is None or isinstance(d, int) for d in s)

    if n == 1 and is_shape(shapes):
        return [_as_dims(shapes)]
    out = []

    def walk(s):
        if s is None or is_shape(s):
            out.append(_as_dims(s))
        else:
            for v in s.values() if isinstance(s, dict) else s:
                walk(v)

    walk(shapes)
    if len(out) != n:
        raise ValueError(f"Dataset.padded_batch: padded_shapes {shapes} do not match the element's {n} components.")
    return out


def _as_dims(s):
    if s is None:
        return None
    return list(s.as_list()) if hasattr(s, "as_list") else list(s)


def unbatch(self, name=None):
    """Split each element along its first dimension into separate elements.

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.from_tensors([1, 2, 3]).unbatch()]
    [1, 2, 3]
    """

    def make_iter():
        for element in self._make_iter():
            for i in range(first_dim(element)):
                yield row(element, i)

    def length():
        n = self._length
        if n < 0:
            return n
        dims = {s.shape.as_list()[0] if s.shape.rank else None for s in flatten(self.element_spec)}
        return n * dims.pop() if len(dims) == 1 and None not in dims else _ds.UNKNOWN_CARDINALITY

    spec = _eager_spec(unbatch_spec, self._spec)  # known without running anything: batch() reads it
    return self._derive(make_iter, length, spec, None if spec is not None else lambda: unbatch_spec(self.element_spec))


def _eager_spec(transform, spec):
    """`transform(spec)` now when the input spec is known; None (computed on demand) otherwise or
    when it does not apply (a spec of nested datasets: the error comes when the spec is asked for)."""
    if spec is None:
        return None
    try:
        return transform(spec)
    except (AttributeError, TypeError, ValueError):
        return None


class DatasetSpec:
    """The spec of an element that is itself a dataset (`window`, `group_by_window`)."""

    def __init__(self, element_spec):
        self.element_spec = element_spec

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and other.element_spec == self.element_spec

    def __repr__(self):
        return f"DatasetSpec({self.element_spec!r}, TensorShape([]))"


def _list_dataset(items, spec):
    items = list(items)
    return _ds.Dataset(lambda: iter(items), len(items), spec)


def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
    """Windows of `size` elements, each a dataset (a structure of datasets for structured elements).

    Window `i` starts at element `i * shift` and takes every `stride`-th element.

    Example:

    >>> import capas as tf
    >>> windows = tf.data.Dataset.range(5).window(3, shift=2)
    >>> [[int(x) for x in w] for w in windows]
    [[0, 1, 2], [2, 3, 4], [4]]
    """
    size, shift, stride = int(size), int(shift if shift is not None else size), int(stride)
    if min(size, shift, stride) <= 0:
        raise ValueError(f"Dataset.window: size, shift and stride must be positive; got {size}, {shift}, {stride}.")
    span = (size - 1) * stride + 1

    def to_window(elements):
        spec = self.element_spec
        picked = elements[:span:stride]
        flat_parts = [[flatten(e)[j] for e in picked] for j in range(len(flatten(spec)))]
        return pack_as(spec, [_list_dataset(part, s) for part, s in zip(flat_parts, flatten(spec))])

    def make_iter():
        buffer = collections.deque()
        to_skip = 0
        for element in self._make_iter():
            if to_skip:
                to_skip -= 1
                continue
            buffer.append(element)
            if len(buffer) == span:
                yield to_window(list(buffer))
                for _ in range(min(shift, len(buffer))):
                    buffer.popleft()
                to_skip = max(0, shift - span)
        while buffer and not drop_remainder:
            yield to_window(list(buffer))
            for _ in range(min(shift, len(buffer))):
                buffer.popleft()

    n = self._length
    if n < 0:
        length = n
    elif drop_remainder:
        length = (n - span) // shift + 1 if n >= span else 0
    else:
        length = -(-n // shift)
    return self._derive(make_iter, length, spec_fn=lambda: map_structure(DatasetSpec, self.element_spec))


def group_by_window(self, key_func, reduce_func, window_size=None, window_size_func=None, name=None):
    """Group elements by `key_func` into windows and reduce each window to a dataset.

    A window of key `k` closes when it holds `window_size` (or
    `window_size_func(k)`) elements; it is passed to `reduce_func(k, dataset)`,
    whose dataset's elements are emitted. At the end, the open windows are
    reduced in ascending key order, as TF does.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(6).group_by_window(
    ...     key_func=lambda x: x % 2, reduce_func=lambda k, w: w.batch(2), window_size=2)
    >>> [b.tolist() for b in ds]
    [[0, 2], [1, 3], [4], [5]]
    """
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Dataset.group_by_window: give exactly one of window_size and window_size_func.")
    size_of = window_size_func if window_size_func is not None else (lambda key: window_size)

    def reduce(key, elements):
        out = reduce_func(torch.tensor(key, dtype=torch.int64), _list_dataset(elements, self.element_spec))
        if not isinstance(out, _ds.Dataset):
            raise TypeError(f"Dataset.group_by_window: reduce_func must return a Dataset; got {type(out).__name__}.")
        return out._make_iter()

    def make_iter():
        groups = {}
        for element in self._make_iter():
            key = int(call(key_func, element))
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) >= int(size_of(torch.tensor(key, dtype=torch.int64))):
                del groups[key]
                yield from reduce(key, group)
        for key in sorted(groups):
            yield from reduce(key, groups[key])

    def spec_fn():
        # TF traces reduce_func once for any key: what differs between keys is unknown.
        empty = _list_dataset([], self.element_spec)
        spec = reduce_func(torch.tensor(0, dtype=torch.int64), empty).element_spec
        try:
            return relax(spec, reduce_func(torch.tensor(1, dtype=torch.int64), empty).element_spec)
        except Exception:  # noqa: BLE001 - key 1 may not exist (one bucket)
            return spec

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, spec_fn=spec_fn)


def bucket_by_sequence_length(
    self,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
    name=None,
):
    """Batch elements of similar length together, padding within each bucket.

    Bucket `i` holds lengths in `[bucket_boundaries[i-1], bucket_boundaries[i])`
    and batches `bucket_batch_sizes[i]` elements (one more size than boundaries).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_generator(
    ...     lambda: ([1] * n for n in [1, 5, 2, 6]), output_signature=tf.TensorSpec([None], tf.int32))
    >>> ds = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3], [2, 2])
    >>> [b.shape[1] for b in ds]
    [2, 6]
    """
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            f"Dataset.bucket_by_sequence_length: bucket_batch_sizes needs len(bucket_boundaries) + 1 = "
            f"{len(boundaries) + 1} entries; received {len(sizes)}."
        )

    def key_func(*element):
        element = element[0] if len(element) == 1 else element
        length = int(call(element_length_func, element))
        for i, b in enumerate(boundaries):
            if length < b:
                return i
        return len(boundaries)

    def reduce_func(key, window_ds):
        k = int(key)
        if no_padding:
            return window_ds.batch(sizes[k], drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if k == len(boundaries):
                raise ValueError(
                    "Dataset.bucket_by_sequence_length: with pad_to_bucket_boundary=True every length must be "
                    f"below the last boundary {boundaries[-1]}."
                )
            base = shapes if shapes is not None else map_structure(lambda s: s.shape.as_list(), self.element_spec)
            shapes = _with_first_dim(base, boundaries[k] - 1)
        return window_ds.padded_batch(sizes[k], shapes, padding_values, drop_remainder=drop_remainder)

    return group_by_window(self, key_func, reduce_func, window_size_func=lambda key: sizes[int(key)])


def _with_first_dim(shapes, dim):
    def fix(s):
        s = _as_dims(s)
        return [dim if (i == 0 and d in (None, -1)) else d for i, d in enumerate(s)]

    if isinstance(shapes, dict):
        return {k: _with_first_dim(v, dim) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and not all(d is None or isinstance(d, int) for d in shapes):
        return type(shapes)(_with_first_dim(v, dim) for v in shapes)
    return fix(shapes)
