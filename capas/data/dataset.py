"""`capas.data.Dataset`: the small tf.data subset the tutorials use.

`from_tensor_slices(...).shuffle(n).batch(b).map(f).prefetch(k)` works as in
TensorFlow. Elements are structures (tuples, dicts) of torch tensors. A
`batch` applied to sliced tensors (directly or after `shuffle`) gathers whole
batches with one `index_select` per tensor instead of stacking rows one by one.
A dataset is also a Python iterable, so `fit`, `evaluate`, `predict` and plain
`for` loops take it, and `torch.utils.data.DataLoader` users can keep theirs.
"""

import collections
import random
import threading

import numpy as np
import torch

from capas._nest import flatten, map_structure
from capas.ops._convert import convert_to_tensor

_AUTOTUNE = -1


def _to_tensor(value):
    t = convert_to_tensor(value) if not isinstance(value, torch.Tensor) else value
    return t


def _length(structure):
    sizes = {int(t.shape[0]) for t in flatten(structure)}
    if len(sizes) != 1:
        raise ValueError(f"Dataset.from_tensor_slices: all components need the same first dimension; got {sorted(sizes)}.")
    return sizes.pop()


class Dataset:
    """An iterable pipeline of elements. Build it with `from_tensor_slices`,
    `from_tensors`, `range` or `from_generator`, then chain transformations."""

    AUTOTUNE = _AUTOTUNE

    def __init__(self, make_iter, length=None, slices=None, order=None):
        self._make_iter = make_iter
        self._length = length
        self._slices = slices  # tensors, when elements are rows of them
        self._order = order  # callable -> list of row indices, for slices

    # ------------------------------------------------------------ sources
    @staticmethod
    def from_tensor_slices(tensors):
        """Elements are the rows of `tensors` (a tensor, array, tuple or dict of them)."""
        if isinstance(tensors, list) and tensors and not isinstance(tensors[0], (list, tuple, dict, np.ndarray, torch.Tensor)):
            tensors = np.asarray(tensors)
        tensors = map_structure(_to_tensor, tensors if not isinstance(tensors, list) else tuple(tensors))
        n = _length(tensors)

        def make_iter():
            for i in range(n):
                yield map_structure(lambda t: t[i], tensors)

        return Dataset(make_iter, n, slices=tensors, order=lambda: range(n))

    @staticmethod
    def from_tensors(tensors):
        tensors = map_structure(_to_tensor, tensors)
        return Dataset(lambda: iter([tensors]), 1)

    @staticmethod
    def range(*args):
        r = range(*args)
        return Dataset(lambda: (torch.tensor(i, dtype=torch.int64) for i in r), len(r))

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None):
        def make_iter():
            for element in generator(*(args or ())):
                yield map_structure(_to_tensor, element)

        return Dataset(make_iter, None)

    # --------------------------------------------------------- transforms
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """Shuffle with a buffer of `buffer_size` elements (a full shuffle when it covers all)."""
        if seed is None:  # under tf.distribute every rank draws the same seed, so the orders agree
            from capas.distribute.process_group import next_shared_seed

            seed = next_shared_seed()
        rng = random.Random(seed)
        state = {"seed": rng.random()}

        def order_for(indices):
            local = rng if reshuffle_each_iteration else random.Random(state["seed"])
            indices = list(indices)
            if buffer_size >= len(indices):
                local.shuffle(indices)
                return indices
            return list(_buffer_shuffle(indices, buffer_size, local))

        if self._slices is not None:
            base = self._order
            return Dataset(self._make_iter_for(lambda: order_for(base())), self._length, self._slices,
                           lambda: order_for(base()))

        def make_iter():
            local = rng if reshuffle_each_iteration else random.Random(state["seed"])
            return _buffer_shuffle(self._make_iter(), buffer_size, local)

        return Dataset(make_iter, self._length)

    def _make_iter_for(self, order):
        tensors = self._slices

        def make_iter():
            for i in order():
                yield map_structure(lambda t: t[i], tensors)

        return make_iter

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None):
        """Group consecutive elements into batches of `batch_size`."""
        batch_size = int(batch_size)
        if batch_size <= 0:
            raise ValueError(f"Dataset.batch: batch_size must be positive, received {batch_size}.")
        length = None
        if self._length is not None:
            length = self._length // batch_size if drop_remainder else -(-self._length // batch_size)
        if self._slices is not None:
            tensors, order = self._slices, self._order

            def make_iter():
                idx = torch.as_tensor(list(order()), dtype=torch.long)
                for start in range(0, len(idx), batch_size):
                    chunk = idx[start:start + batch_size]
                    if drop_remainder and len(chunk) < batch_size:
                        return
                    yield map_structure(lambda t: t.index_select(0, chunk), tensors)

            return Dataset(make_iter, length)

        def make_iter():
            buffer = []
            for element in self._make_iter():
                buffer.append(element)
                if len(buffer) == batch_size:
                    yield _stack(buffer)
                    buffer = []
            if buffer and not drop_remainder:
                yield _stack(buffer)

        return Dataset(make_iter, length)

    def unbatch(self):
        def make_iter():
            for element in self._make_iter():
                n = int(flatten(element)[0].shape[0])
                for i in range(n):
                    yield map_structure(lambda t: t[i], element)

        return Dataset(make_iter, None)

    def map(self, map_func, num_parallel_calls=None, deterministic=None):
        """Apply `map_func` to every element (tuples are unpacked as arguments, as TF does)."""

        def make_iter():
            for element in self._make_iter():
                yield map_func(*element) if isinstance(element, tuple) else map_func(element)

        return Dataset(make_iter, self._length)

    def filter(self, predicate):
        def make_iter():
            for element in self._make_iter():
                keep = predicate(*element) if isinstance(element, tuple) else predicate(element)
                if bool(keep):
                    yield element

        return Dataset(make_iter, None)

    def repeat(self, count=None):
        """Repeat the dataset `count` times (forever when None)."""

        def make_iter():
            n = 0
            while count is None or count < 0 or n < count:
                yield from self._make_iter()
                n += 1

        length = None if count is None or count < 0 or self._length is None else self._length * count
        return Dataset(make_iter, length)

    def take(self, count):
        def make_iter():
            for i, element in enumerate(self._make_iter()):
                if i >= count:
                    return
                yield element

        length = count if self._length is None else min(count, self._length)
        return Dataset(make_iter, length if count >= 0 else self._length)

    def skip(self, count):
        def make_iter():
            for i, element in enumerate(self._make_iter()):
                if i >= count:
                    yield element

        return Dataset(make_iter, None if self._length is None else max(0, self._length - count))

    def prefetch(self, buffer_size=_AUTOTUNE):
        """Prepare up to `buffer_size` elements ahead in a background thread."""
        size = 2 if buffer_size in (None, _AUTOTUNE) else max(1, int(buffer_size))

        def make_iter():
            return _prefetch(self._make_iter(), size)

        return Dataset(make_iter, self._length)

    def cache(self, filename=""):
        store = []
        done = {"full": False}

        def make_iter():
            if done["full"]:
                yield from store
                return
            store.clear()
            for element in self._make_iter():
                store.append(element)
                yield element
            done["full"] = True

        return Dataset(make_iter, self._length)

    # ------------------------------------------------------------ access
    def __iter__(self):
        return iter(self._make_iter())

    def __len__(self):
        if self._length is None:
            raise TypeError("The length of this dataset is unknown (it repeats forever or filters).")
        return self._length

    def cardinality(self):
        return torch.tensor(-1 if self._length is None else self._length)

    def as_numpy_iterator(self):
        for element in self:
            yield map_structure(lambda t: t.numpy() if isinstance(t, torch.Tensor) else t, element)


def _stack(elements):
    first = elements[0]
    if isinstance(first, torch.Tensor):
        return torch.stack(elements)
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    if isinstance(first, (tuple, list)):
        return type(first)(_stack([e[i] for e in elements]) for i in range(len(first)))
    return torch.as_tensor(elements)


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


_END = object()


def _prefetch(iterator, size):
    queue = collections.deque()
    cond = threading.Condition()
    error = []

    def worker():
        try:
            for item in iterator:
                with cond:
                    while len(queue) >= size:
                        cond.wait()
                    queue.append(item)
                    cond.notify_all()
        except Exception as exc:  # noqa: BLE001 - re-raised in the consumer
            error.append(exc)
        with cond:
            queue.append(_END)
            cond.notify_all()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    while True:
        with cond:
            while not queue:
                cond.wait()
            item = queue.popleft()
            cond.notify_all()
        if item is _END:
            if error:
                raise error[0]
            return
        yield item
