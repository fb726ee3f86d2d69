"""Element-wise transformations: map, filter, flat_map, interleave, scan, ...

Each function here is a `Dataset` method (bound in `dataset.py`), so `self`
is the input dataset. Functions given by the user are called as TF calls
them: a tuple element is unpacked into arguments, anything else is passed
whole.
"""

import os
import random
import warnings

import torch

import capas.data.dataset as _ds
from capas._nest import flatten
from capas.data import _sources
from capas.data._constants import AUTOTUNE
from capas.data._parallel import ordered_map, prefetch_iter
from capas.data._structure import (
    dummy_element,
    is_string,
    relax,
    row,
    spec_of,
    string,
    to_element,
    to_numpy,
)
from capas.distribute.process_group import next_shared_seed


def call(fn, element):
    """Call a user function on an element the way TF does (tuples are unpacked)."""
    return fn(*element) if type(element) is tuple else fn(element)


def traced_spec(fn, input_ds, output_of=None):
    """The element spec of `fn`'s output, found by calling it on placeholder elements.

    Dims the input leaves unknown (None) are tried at two sizes; output dims that
    differ become None. When `fn` cannot run on zeros, the first real output
    element gives the spec instead.
    """
    output_of = output_of or (lambda out: spec_of(to_element(out)))
    try:
        spec = input_ds.element_spec
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = output_of(fn(dummy_element(spec, 1)))
            b = output_of(fn(dummy_element(spec, 2)))
            relaxed = relax(a, b)
            if any(is_string(s) or getattr(s, "dtype", None) is string for s in flatten(spec)):
                # Placeholder strings are empty; a shape that follows the text (tf.strings.split)
                # shows up as unknown with words in them too. Functions that refuse it are skipped.
                try:
                    relaxed = relax(relaxed, output_of(fn(dummy_element(spec, 2, text=b"1 1 1"))))
                except Exception:  # noqa: BLE001 - e.g. to_number of a whole line
                    pass
        return relaxed
    except Exception:  # noqa: BLE001 - fall back to a real element
        return None


def _same_spec(self):
    return {"spec": self._spec, "spec_fn": lambda: self.element_spec}


def _as_bool(value):
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(
                f"Dataset: a predicate must return a scalar boolean; it returned shape {tuple(value.shape)}."
            )
        return bool(value.item())
    return bool(value)


class _MapIterator:
    """Applies a function per element; an error in one element leaves the iterator usable
    (so `ignore_errors` can skip that element and go on)."""

    def __init__(self, source, fn):
        self._source = source
        self._fn = fn

    def __iter__(self):
        return self

    def __next__(self):
        return to_element(call(self._fn, next(self._source)))


def _workers(num_parallel_calls, options):
    if num_parallel_calls is None:
        return 0
    n = os.cpu_count() or 2 if num_parallel_calls == _ds.AUTOTUNE else int(num_parallel_calls)
    cap = options.threading.private_threadpool_size if options is not None else None
    return max(1, min(n, cap) if cap else n)


def map_dataset(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
    """Apply `map_func` to every element (a tuple element is unpacked into arguments).

    Args:
        map_func: element -> new element (structures of tensors or Python values).
        num_parallel_calls: when set (an int or `tf.data.AUTOTUNE`), elements are
            mapped on that many worker threads; torch kernels release the GIL, so
            tensor work runs in parallel.
        deterministic: False lets parallel results come out as they finish;
            None or True keeps the input order.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(4).map(lambda x: x * x, num_parallel_calls=tf.data.AUTOTUNE)
    >>> [int(x) for x in ds]
    [0, 1, 4, 9]
    """
    workers = _workers(num_parallel_calls, self._options)
    if deterministic is None and self._options is not None:
        deterministic = self._options.deterministic
    keep_order = deterministic is not False

    def make_iter():
        source = iter(self._make_iter())
        if workers <= 1:
            return _MapIterator(source, map_func)
        return ordered_map(source, lambda e: to_element(call(map_func, e)), workers, keep_order)

    def spec_fn():
        return traced_spec(lambda e: call(map_func, e), self) or _peek(make_iter)

    return self._derive(make_iter, self._length, spec_fn=spec_fn)


def _peek(make_iter):
    it = make_iter()
    first = next(iter(it), None)
    if first is None:
        raise ValueError("Dataset.element_spec: the dataset is empty, so its element spec is unknown.")
    return spec_of(first)


class _FilterIterator:
    def __init__(self, source, predicate):
        self._source = source
        self._predicate = predicate

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            element = next(self._source)
            if _as_bool(call(self._predicate, element)):
                return element


def filter_dataset(self, predicate, name=None):
    """Keep the elements for which `predicate(element)` is True.

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.range(6).filter(lambda x: x % 2 == 0)]
    [0, 2, 4]
    """
    return self._derive(
        lambda: _FilterIterator(iter(self._make_iter()), predicate), _ds.UNKNOWN_CARDINALITY, **_same_spec(self)
    )


def flat_map(self, map_func, name=None):
    """Map each element to a dataset and chain those datasets.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.range(x))
    >>> [int(x) for x in ds]
    [0, 0, 1]
    """

    def make_iter():
        for element in self._make_iter():
            yield from _as_dataset(call(map_func, element), "flat_map")._make_iter()

    def spec_fn():
        traced = traced_spec(lambda e: call(map_func, e), self, lambda d: _as_dataset(d, "flat_map").element_spec)
        return traced or _peek(make_iter)

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, spec_fn=spec_fn)


def _as_dataset(value, where):
    if not isinstance(value, _ds.Dataset):
        raise TypeError(f"Dataset.{where}: the function must return a Dataset; it returned {type(value).__name__}.")
    return value


def interleave(
    self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None, deterministic=None, name=None
):
    """Map each element to a dataset and interleave them, as TF does.

    `cycle_length` input elements are open at once; `block_length` consecutive
    elements are taken from each in turn; an exhausted one is replaced by the
    next input element when the cycle comes back to its slot.

    With `num_parallel_calls`, each open inner dataset is read ahead on its own
    thread (e.g. several TFRecord files read at once); the output order stays
    TF's deterministic order. `cycle_length=None` means the number of CPU
    cores, as TF's AUTOTUNE.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(1, 4).interleave(
    ...     lambda x: tf.data.Dataset.from_tensors(x).repeat(2), cycle_length=2)
    >>> [int(x) for x in ds]
    [1, 2, 1, 2, 3, 3]
    """
    cycle = os.cpu_count() or 2 if cycle_length in (None, _ds.AUTOTUNE) else int(cycle_length)
    block = 1 if block_length in (None, _ds.AUTOTUNE) else int(block_length)
    if cycle <= 0 or block <= 0:
        raise ValueError(f"Dataset.interleave: cycle_length and block_length must be positive; got {cycle}, {block}.")

    def make_iter():
        inputs = iter(self._make_iter())
        slots = [None] * cycle
        index, taken, open_count, inputs_done = 0, 0, 0, False
        while not inputs_done or open_count:
            if slots[index] is not None:
                try:
                    element = next(slots[index])
                except StopIteration:
                    slots[index] = None
                    open_count -= 1
                    index, taken = (index + 1) % cycle, 0
                    continue
                taken += 1
                if taken == block:
                    index, taken = (index + 1) % cycle, 0
                yield element
            elif not inputs_done:
                try:
                    element = next(inputs)
                except StopIteration:
                    inputs_done = True
                    continue
                inner = iter(_as_dataset(call(map_func, element), "interleave")._make_iter())
                slots[index] = prefetch_iter(inner, 2 * block) if num_parallel_calls else inner
                open_count += 1
            else:
                index, taken = (index + 1) % cycle, 0

    def spec_fn():
        traced = traced_spec(lambda e: call(map_func, e), self, lambda d: _as_dataset(d, "interleave").element_spec)
        return traced or _peek(make_iter)

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, spec_fn=spec_fn)


def scan(self, initial_state, scan_func, name=None):
    """Carry a state through the elements: `state, out = scan_func(state, element)`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s + x))
    >>> [int(x) for x in ds]
    [0, 1, 3, 6, 10]
    """
    initial_state = to_element(initial_state)

    def make_iter():
        state = initial_state
        for element in self._make_iter():
            state, out = scan_func(state, element)
            state = to_element(state)
            yield to_element(out)

    def spec_fn():
        traced = traced_spec(lambda e: scan_func(initial_state, e)[1], self)
        return traced or _peek(make_iter)

    return self._derive(make_iter, self._length, spec_fn=spec_fn)


def reduce(self, initial_state, reduce_func):
    state = to_element(initial_state)
    for element in self._make_iter():
        state = to_element(reduce_func(state, element))
    return state


def enumerate_dataset(self, start=0, name=None):
    """Pair each element with its index (int64), from `start`.

    Example:

    >>> import capas as tf
    >>> [(int(i), int(x)) for i, x in tf.data.Dataset.range(10, 12).enumerate()]
    [(0, 10), (1, 11)]
    """
    return _sources.zip_datasets((_sources.counter(start), self))


def unique(self, name=None):
    """The elements not seen before (scalar integer or string elements), in first-seen order.

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3]).unique()]
    [1, 3, 2]
    """

    def key(element):
        if isinstance(element, torch.Tensor):
            if element.dim() != 0 or element.is_floating_point() or element.is_complex():
                raise TypeError(
                    f"Dataset.unique: elements must be scalar integers or strings; got {element.dtype} of shape "
                    f"{tuple(element.shape)}."
                )
            return element.item()
        if is_string(element):
            return to_numpy(element)
        raise TypeError(f"Dataset.unique: elements must be scalar integers or strings; got {type(element).__name__}.")

    def make_iter():
        seen = set()
        for element in self._make_iter():
            k = key(element)
            if k not in seen:
                seen.add(k)
                yield element

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, **_same_spec(self))


def take_while(self, predicate, name=None):
    """Elements up to (not including) the first for which `predicate` is False.

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.range(10).take_while(lambda x: x < 3)]
    [0, 1, 2]
    """

    def make_iter():
        for element in self._make_iter():
            if not _as_bool(call(predicate, element)):
                return
            yield element

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, **_same_spec(self))


def ignore_errors(self, log_warning=False, name=None):
    """Drop the elements whose computation raised an error, and go on.

    Example:

    >>> import capas as tf
    >>> def invert(x):
    ...     if float(x) == 0:
    ...         raise ValueError("cannot invert 0")
    ...     return 1 / x
    >>> ds = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0]).map(invert)
    >>> [float(x) for x in ds.ignore_errors()]
    [1.0, 0.5]
    """

    def make_iter():
        it = iter(self._make_iter())
        while True:
            try:
                element = next(it)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - the point of ignore_errors
                if log_warning:
                    warnings.warn(f"Dataset.ignore_errors: skipped an element that raised {exc!r}.", stacklevel=2)
                continue
            yield element

    return self._derive(make_iter, _ds.UNKNOWN_CARDINALITY, **_same_spec(self))


def shard(self, num_shards, index, name=None):
    """Every `num_shards`-th element, starting at `index`.

    Example:

    >>> import capas as tf
    >>> [int(x) for x in tf.data.Dataset.range(7).shard(3, 1)]
    [1, 4]
    """
    num_shards, index = int(num_shards), int(index)
    if num_shards <= 0 or not 0 <= index < num_shards:
        raise ValueError(f"Dataset.shard: need num_shards > 0 and 0 <= index < num_shards; got {num_shards}, {index}.")

    def make_iter():
        for i, element in enumerate(self._make_iter()):
            if i % num_shards == index:
                yield element

    n = self._length
    length = n // num_shards + (index < n % num_shards) if n >= 0 else n
    return self._derive(make_iter, length, **_same_spec(self))


def take(self, count, name=None):
    """The first `count` elements (all of them when `count` is -1)."""
    count = int(count)
    if count < 0:
        return self._derive(self._make_iter, self._length, **_same_spec(self))

    def make_iter():
        if count == 0:
            return
        for i, element in enumerate(self._make_iter()):
            yield element
            if i + 1 >= count:
                return

    n = self._length
    length = count if n == _ds.INFINITE_CARDINALITY else (min(count, n) if n >= 0 else n)
    return self._derive(make_iter, length, **_same_spec(self))


def skip(self, count, name=None):
    """All but the first `count` elements (none when `count` is -1)."""
    count = int(count)

    def make_iter():
        for i, element in enumerate(self._make_iter()):
            if 0 <= count <= i:
                yield element

    n = self._length
    if count < 0:
        length = min(0, n)
    else:
        length = max(0, n - count) if n >= 0 else n
    return self._derive(make_iter, length, **_same_spec(self))


def repeat(self, count=None, name=None):
    """Repeat the dataset `count` times (forever when None or -1)."""
    forever = count is None or int(count) < 0

    def make_iter():
        n = 0
        while forever or n < int(count):
            yield from self._make_iter()
            n += 1

    n = self._length
    if n == 0:
        length = 0
    elif forever:
        length = _ds.INFINITE_CARDINALITY
    else:
        length = n * int(count) if n >= 0 else (n if count != 0 else 0)
    return self._derive(make_iter, length, **_same_spec(self))


def concatenate(self, dataset, name=None):
    """This dataset's elements, then `dataset`'s (the element specs must be compatible).

    Example:

    >>> import capas as tf
    >>> a, b = tf.data.Dataset.range(2), tf.data.Dataset.range(5, 7)
    >>> [int(x) for x in a.concatenate(b)]
    [0, 1, 5, 6]
    """

    def make_iter():
        yield from self._make_iter()
        yield from dataset._make_iter()

    a, b = self._length, dataset._length
    if _ds.INFINITE_CARDINALITY in (a, b):
        length = _ds.INFINITE_CARDINALITY
    elif _ds.UNKNOWN_CARDINALITY in (a, b):
        length = _ds.UNKNOWN_CARDINALITY
    else:
        length = a + b

    def spec_fn():
        sa, sb = self.element_spec, dataset.element_spec
        dtypes_a = [s.dtype for s in _flat(sa)]
        dtypes_b = [s.dtype for s in _flat(sb)]
        if dtypes_a != dtypes_b:
            raise TypeError(f"Dataset.concatenate: the datasets have incompatible element specs {sa} and {sb}.")
        return relax(sa, sb)

    return self._derive(make_iter, length, spec_fn=spec_fn)


def _flat(structure):
    return flatten(structure)


def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
    """Shuffle with a buffer of `buffer_size` elements (a full shuffle when it covers all).

    Differs from TF: the order for a given seed is not TF's (a different random
    generator); seeded shuffles are reproducible run to run.
    """
    buffer_size = int(buffer_size)
    if buffer_size <= 0 and buffer_size != _ds.AUTOTUNE:
        raise ValueError(f"Dataset.shuffle: buffer_size must be positive; received {buffer_size}.")
    if seed is None:  # under tf.distribute every rank draws the same seed, so the ranks' orders agree
        seed = next_shared_seed()
    rng = random.Random(seed)
    fixed_seed = rng.random()

    def generator():
        return rng if reshuffle_each_iteration else random.Random(fixed_seed)

    if self._slices is not None:
        base = self._order

        def order():
            indices = list(base())
            local = generator()
            if buffer_size >= len(indices):
                local.shuffle(indices)
                return indices
            return list(_buffer_shuffle(indices, buffer_size, local))

        tensors = self._slices
        return _ds.Dataset(
            lambda: (row(tensors, i) for i in order()),
            self._length,
            self._spec,
            slices=tensors,
            order=order,
            options=self._options,
        )

    def make_iter():
        return _buffer_shuffle(self._make_iter(), buffer_size, generator())

    return self._derive(make_iter, self._length, **_same_spec(self))


def _buffer_shuffle(iterable, buffer_size, rng):
    buffer = []
    for item in iterable:
        if len(buffer) < buffer_size:
            buffer.append(item)
            continue
        j = rng.randrange(len(buffer))
        yield buffer[j]
        buffer[j] = item
    rng.shuffle(buffer)
    yield from buffer


def prefetch(self, buffer_size=AUTOTUNE, name=None):
    """Prepare up to `buffer_size` elements ahead on a background thread."""
    size = 2 if buffer_size in (None, _ds.AUTOTUNE) else max(1, int(buffer_size))
    return self._derive(lambda: prefetch_iter(iter(self._make_iter()), size), self._length, **_same_spec(self))
