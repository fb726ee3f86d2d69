"""`capas.data.Dataset`: tf.data's Dataset over torch tensors.

A dataset is a recipe: `_make_iter()` starts a fresh pass over its elements,
`cardinality()` says how many there are (or `INFINITE_CARDINALITY` /
`UNKNOWN_CARDINALITY`), and `element_spec` describes one element. Every
transformation returns a new dataset wrapping the old one, so nothing is
computed (or loaded) before iteration, and file-backed datasets stream.

The methods are thin: sources live in `_sources.py`, element-wise
transformations in `_transforms.py`, batching in `_batching.py`, sampling in
`_sampling.py`, files in `_files.py` and `tfrecord.py`. A dataset is also a
Python iterable, so `fit`, `evaluate`, `predict` and plain `for` loops take it.
"""

import torch

from capas._nest import map_structure
from capas.data import _batching, _cache, _files, _sampling, _sources, _transforms
from capas.data._constants import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from capas.data._iterator import Iterator
from capas.data._options import Options
from capas.data._structure import spec_of, to_numpy


class Dataset:
    """A pipeline of elements (structures of tensors), as `tf.data.Dataset`.

    Build one with `from_tensor_slices`, `from_tensors`, `range`,
    `from_generator`, `zip`, `list_files`, or a file dataset
    (`TextLineDataset`, `TFRecordDataset`), then chain transformations.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(6).map(lambda x: x * 2).batch(4)
    >>> [b.tolist() for b in ds]
    [[0, 2, 4, 6], [8, 10]]
    >>> int(ds.cardinality())
    2
    """

    AUTOTUNE = AUTOTUNE

    def __init__(
        self, make_iter, length=UNKNOWN_CARDINALITY, spec=None, spec_fn=None, slices=None, order=None, options=None
    ):
        if length is None:
            length = UNKNOWN_CARDINALITY
        self._make_iter = make_iter
        self._length_value = length if callable(length) else int(length)
        self._spec = spec
        self._spec_fn = spec_fn
        self._slices = slices  # tensors whose rows are the elements (fast batching)
        self._order = order  # callable -> row indices, when _slices is set
        self._options = options

    @property
    def _length(self):
        """The cardinality as an int (computed on first use when it needs the element spec)."""
        if callable(self._length_value):
            self._length_value = int(self._length_value())
        return self._length_value

    def _derive(self, make_iter, length, spec=None, spec_fn=None):
        """A dataset built on this one (keeps the options)."""
        return Dataset(make_iter, length, spec, spec_fn, options=self._options)

    # ------------------------------------------------------------ sources
    from_tensor_slices = staticmethod(_sources.from_tensor_slices)
    from_tensors = staticmethod(_sources.from_tensors)
    range = staticmethod(_sources.range_dataset)
    from_generator = staticmethod(_sources.from_generator)
    zip = staticmethod(_sources.zip_datasets)
    list_files = staticmethod(_files.list_files)
    sample_from_datasets = staticmethod(_sampling.sample_from_datasets)
    choose_from_datasets = staticmethod(_sampling.choose_from_datasets)
    counter = staticmethod(_sources.counter)

    # --------------------------------------------------------- transforms
    map = _transforms.map_dataset
    filter = _transforms.filter_dataset
    flat_map = _transforms.flat_map
    interleave = _transforms.interleave
    scan = _transforms.scan
    enumerate = _transforms.enumerate_dataset
    take_while = _transforms.take_while
    unique = _transforms.unique
    ignore_errors = _transforms.ignore_errors
    shard = _transforms.shard
    take = _transforms.take
    skip = _transforms.skip
    repeat = _transforms.repeat
    concatenate = _transforms.concatenate
    shuffle = _transforms.shuffle
    prefetch = _transforms.prefetch
    cache = _cache.cache
    snapshot = _cache.snapshot
    batch = _batching.batch
    padded_batch = _batching.padded_batch
    ragged_batch = _batching.ragged_batch
    unbatch = _batching.unbatch
    window = _batching.window
    group_by_window = _batching.group_by_window
    bucket_by_sequence_length = _batching.bucket_by_sequence_length
    rejection_resample = _sampling.rejection_resample

    def apply(self, transformation_func):
        """`transformation_func(self)`, for chaining reusable transformations."""
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(
                f"Dataset.apply: the transformation must return a Dataset; {transformation_func!r} returned "
                f"{type(out).__name__}."
            )
        return out

    def with_options(self, options):
        """A dataset with `options` (a `tf.data.Options`) merged into its options."""
        if not isinstance(options, Options):
            raise TypeError(f"Dataset.with_options expects a tf.data.Options; received {type(options).__name__}.")
        out = Dataset(self._make_iter, self._length_value, self._spec, self._spec_fn, self._slices, self._order)
        out._options = self.options().merge(options)
        return out

    def options(self):
        """The `tf.data.Options` of this dataset (defaults when none were set)."""
        return self._options if self._options is not None else Options()

    # ------------------------------------------------------------- values
    def reduce(self, initial_state, reduce_func):
        """Fold all elements into one value: `state = reduce_func(state, element)`."""
        return _transforms.reduce(self, initial_state, reduce_func)

    def get_single_element(self):
        """The only element of a one-element dataset (ValueError otherwise)."""
        it = iter(self._make_iter())
        try:
            element = next(it)
        except StopIteration:
            raise ValueError(
                "Dataset.get_single_element: the dataset is empty; it must hold exactly one element."
            ) from None
        for _ in it:
            raise ValueError("Dataset.get_single_element: the dataset holds more than one element; use take(1) first.")
        return element

    # ------------------------------------------------------------ access
    @property
    def element_spec(self):
        """The `TensorSpec` structure of one element (dims may be None)."""
        if self._spec is None:
            if self._spec_fn is not None:
                self._spec = self._spec_fn()
            else:
                first = next(iter(self._make_iter()), None)
                if first is None:
                    raise ValueError("Dataset.element_spec: the dataset is empty, so its element spec is unknown.")
                self._spec = spec_of(first)
        return self._spec

    def __iter__(self):
        return Iterator(self)

    def __len__(self):
        if self._length == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite (its length is unknown to len()); use take(n) or cardinality().")
        if self._length < 0:
            raise TypeError("The dataset length is unknown (it filters, or reads a generator or files).")
        return self._length

    def __bool__(self):
        return True

    def cardinality(self):
        """The number of elements, or `INFINITE_CARDINALITY` (-1) / `UNKNOWN_CARDINALITY` (-2)."""
        return torch.tensor(self._length, dtype=torch.int64)

    def as_numpy_iterator(self):
        """Iterate elements as numpy arrays (scalar strings as `bytes`)."""
        for element in self:
            yield map_structure(to_numpy, element)

    def __repr__(self):
        try:
            spec = self.element_spec
        except Exception:  # noqa: BLE001 - a repr must not fail
            spec = "?"
        return f"<Dataset element_spec={spec}>"
