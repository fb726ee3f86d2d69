"""More of `tf.data.experimental`: list sources, random access, reducers, save/load, SQL,
TFRecord writing, Example parsing datasets, table builders and the policy enums."""

import enum
import glob
import json
import os
import sqlite3

import numpy as np
import torch

import capas.data.dataset as _ds
from capas.data import _cache
from capas.data._constants import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from capas.data._structure import make_spec, relax, spec_of, to_element
from capas.errors import InvalidArgumentError, OutOfRangeError
from capas import lookup
from capas.data._structure import make_string
from capas.data.tfrecord import TFRecordDataset
from capas.io._sequence import parse_example
from capas.io._tfrecord import FixedLenFeature, TFRecordOptions
from capas.io._tfrecord import TFRecordWriter as _Writer
from capas.lookup._initializers import DatasetInitializer as DatasetInitializer
from capas.sparse import SparseTensor

SHARD_HINT = -1


class AutoShardPolicy(enum.IntEnum):
    """How a distributed dataset is split among workers (`tf.data.experimental.AutoShardPolicy`)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class AutotuneAlgorithm(enum.IntEnum):
    """The autotuning algorithm (`tf.data.experimental.AutotuneAlgorithm`); capas accepts and ignores it."""

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class ExternalStatePolicy(enum.Enum):
    """What to do with state outside the pipeline when saving it (`tf.data.experimental.ExternalStatePolicy`)."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


def _method(name, *args, **kwargs):
    def apply(dataset):
        return getattr(dataset, name)(*args, **kwargs)

    return apply


def from_list(elements, name=None):
    """A dataset of the elements of a Python list (elements may differ in shape).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.experimental.from_list([(1, 'a'), (2, 'b')])
    >>> [int(x) for x, _ in ds]
    [1, 2]
    """
    if not isinstance(elements, (list, tuple)) or not elements:
        raise ValueError("from_list: `elements` must be a non-empty list of elements of the same structure.")
    items = [to_element(e) for e in elements]

    def spec():
        out = spec_of(items[0])
        for item in items[1:]:
            out = relax(out, spec_of(item))
        return out

    return _ds.Dataset(lambda: iter(items), len(items), spec_fn=spec)


def at(dataset, index):
    """The element of `dataset` at position `index` (`tf.data.experimental.at`).

    Example:

    >>> import capas as tf
    >>> int(tf.data.experimental.at(tf.data.Dataset.range(10, 20), 3))
    13
    """
    index = int(index)
    if index < 0:
        raise InvalidArgumentError(None, None, f"at: index must be non-negative, got {index}.")
    for i, element in enumerate(dataset):
        if i == index:
            return element
    raise OutOfRangeError(
        None, None, f"at: index {index} is past the end of the dataset ({dataset.cardinality()} elements)."
    )


def unique():
    """`dataset.apply(unique())` is `dataset.unique()`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_tensor_slices([1, 3, 1, 2]).apply(tf.data.experimental.unique())
    >>> [int(x) for x in ds]
    [1, 3, 2]
    """
    return _method("unique")


def get_structure(dataset_or_iterator):
    """The element spec of a dataset or iterator (`tf.data.experimental.get_structure`).

    Example:

    >>> import capas as tf
    >>> tf.data.experimental.get_structure(tf.data.Dataset.range(3).batch(2)).shape.as_list()
    [None]
    """
    spec = getattr(dataset_or_iterator, "element_spec", None)
    if spec is None:
        raise TypeError(
            f"get_structure: expected a tf.data.Dataset or Iterator, got {type(dataset_or_iterator).__name__}."
        )
    return spec


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """`dataset.apply(shuffle_and_repeat(b, n))` is `dataset.shuffle(b).repeat(n)`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(3).apply(tf.data.experimental.shuffle_and_repeat(3, count=2, seed=1))
    >>> sorted(int(x) for x in ds)
    [0, 0, 1, 1, 2, 2]
    """
    return lambda ds: ds.shuffle(buffer_size, seed=seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """`dataset.apply(map_and_batch(f, n))` is `dataset.map(f).batch(n)`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(lambda x: x * 2, 2))
    >>> [b.tolist() for b in ds]
    [[0, 2], [4, 6], [8]]
    """
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError("map_and_batch: give `num_parallel_batches` or `num_parallel_calls`, not both.")
    return lambda ds: ds.map(map_func, num_parallel_calls=num_parallel_calls).batch(batch_size, drop_remainder)


def parallel_interleave(
    map_func, cycle_length, block_length=1, sloppy=False, buffer_output_elements=None, prefetch_input_elements=None
):
    """`dataset.apply(parallel_interleave(f, c, b))` is `dataset.interleave(f, c, b)` (deterministic
    order; `sloppy` and the buffer sizes are accepted and unused).

    Example:

    >>> import capas as tf
    >>> f = lambda x: tf.data.Dataset.from_tensors(x).repeat(2)
    >>> ds = tf.data.Dataset.range(2).apply(tf.data.experimental.parallel_interleave(f, cycle_length=2))
    >>> [int(x) for x in ds]
    [0, 1, 0, 1]
    """
    return lambda ds: ds.interleave(map_func, cycle_length, block_length)


class Reducer:
    """The three functions of `group_by_reducer`: `init_func(key)`, `reduce_func(state, element)`,
    `finalize_func(state)`."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func = init_func
        self.reduce_func = reduce_func
        self.finalize_func = finalize_func


def group_by_reducer(key_func, reducer):
    """Reduce the elements of each key group to one element (`tf.data.experimental.group_by_reducer`).

    The output has one element per key, in the order the keys first appeared.

    Example:

    >>> import capas as tf
    >>> r = tf.data.experimental.Reducer(lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s)
    >>> ds = tf.data.Dataset.range(6).apply(tf.data.experimental.group_by_reducer(lambda x: x % 2, r))
    >>> sorted(int(x) for x in ds)
    [6, 9]
    """

    def apply(dataset):
        def make_iter():
            states = {}
            for element in dataset:
                args = element if isinstance(element, tuple) else (element,)
                key = key_func(*args)
                key_value = int(torch.as_tensor(key).reshape(()))
                if key_value not in states:
                    states[key_value] = reducer.init_func(torch.as_tensor(key_value, dtype=torch.int64))
                states[key_value] = reducer.reduce_func(states[key_value], element)
            for state in states.values():
                yield to_element(reducer.finalize_func(state))

        out = _ds.Dataset(make_iter, UNKNOWN_CARDINALITY, options=dataset._options)
        out._spec_fn = lambda: spec_of(next(iter(make_iter())))
        return out

    return apply


def dense_to_sparse_batch(batch_size, row_shape):
    """Batch elements of varying shape into `tf.sparse.SparseTensor`s of dense shape
    `[batch, *row_shape]` (a `-1` in `row_shape` becomes the batch's largest size there).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n))
    >>> sp = next(iter(ds.apply(tf.data.experimental.dense_to_sparse_batch(2, [4]))))
    >>> sp.indices.tolist(), sp.values.tolist(), sp.dense_shape.tolist()
    ([[0, 0], [1, 0], [1, 1]], [0, 0, 1], [2, 4])
    """

    row_shape = [int(d) for d in np.asarray(row_shape).reshape(-1)]
    if any(d < 0 for d in row_shape):
        raise ValueError(f"dense_to_sparse_batch: every dimension of row_shape must be >= 0, got {row_shape}.")

    def build(rows):
        shapes = [list(r.shape) for r in rows]
        for shape in shapes:
            if len(shape) != len(row_shape) or any(s > d for s, d in zip(shape, row_shape)):
                raise InvalidArgumentError(
                    None,
                    None,
                    f"dense_to_sparse_batch: an element of shape {shape} does not fit row_shape {row_shape}; "
                    "pass a row_shape of the same rank with dims at least as large (or -1).",
                )
        dims = list(row_shape)
        indices, values = [], []
        for b, r in enumerate(rows):
            idx = torch.nonzero(torch.ones(r.shape, dtype=torch.bool), as_tuple=False)
            indices.append(torch.cat([torch.full((idx.shape[0], 1), b, dtype=torch.int64), idx], 1))
            values.append(r.reshape(-1))
        return SparseTensor(torch.cat(indices), torch.cat(values), [len(rows)] + dims)

    def apply(dataset):
        def make_iter():
            rows = []
            for element in dataset:
                rows.append(torch.as_tensor(element))
                if len(rows) == batch_size:
                    yield build(rows)
                    rows = []
            if rows:
                yield build(rows)

        n = dataset.cardinality()
        n = int(n)
        length = n if n < 0 else -(-n // batch_size)
        return _ds.Dataset(make_iter, length, options=dataset._options)

    return apply


def pad_to_cardinality(cardinality, mask_key="valid"):
    """Pad a dataset of dicts to `cardinality` elements with zero elements, adding a boolean
    `mask_key` entry (True for real elements).

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_tensor_slices({'a': [1, 2]})
    >>> ds = ds.apply(tf.data.experimental.pad_to_cardinality(3))
    >>> [(int(e['a']), bool(e['valid'])) for e in ds]
    [(1, True), (2, True), (0, False)]
    """

    def apply(dataset):
        n = int(dataset.cardinality())
        if n in (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY):
            raise ValueError(
                "pad_to_cardinality: the dataset's cardinality must be known; use "
                "dataset.apply(tf.data.experimental.assert_cardinality(n)) first."
            )
        if n > cardinality:
            raise ValueError(f"pad_to_cardinality: the dataset has {n} elements, more than the target {cardinality}.")
        spec = dataset.element_spec
        if not isinstance(spec, dict):
            raise ValueError("pad_to_cardinality: the dataset's elements must be dicts.")
        if mask_key in spec:
            raise ValueError(f"pad_to_cardinality: the elements already have the mask key {mask_key!r}.")

        def make_iter():
            for element in dataset:
                yield {**element, mask_key: torch.tensor(True)}
            for _ in range(cardinality - n):
                pad = {}
                for key, s in spec.items():
                    if any(d is None for d in s.shape.as_list()):
                        raise ValueError(f"pad_to_cardinality: the shape of {key!r} is not fully known ({s.shape}).")
                    pad[key] = torch.zeros(s.shape.as_list(), dtype=s.dtype)
                pad[mask_key] = torch.tensor(False)
                yield pad

        return _ds.Dataset(make_iter, cardinality, options=dataset._options)

    return apply


# ------------------------------------------------------------------ save / load
_DATA = "capas_dataset.bin"
_META = "capas_dataset.json"


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    """Write `dataset` to the folder `path` (`tf.data.Dataset.save`).

    Differs from TF: the folder holds capas's own data-only format (not TF's snapshot
    files); `Dataset.load` in capas reads it. `compression` and `shard_func` are accepted and unused.
    """
    path = os.fspath(path)
    os.makedirs(path, exist_ok=True)
    count = 0
    for _ in _cache.write_elements(os.path.join(path, _DATA), iter(dataset)):
        count += 1
    with open(os.path.join(path, _META), "w") as f:
        json.dump({"format": "capas-dataset-1", "cardinality": count}, f)


def load(path, element_spec=None, compression=None, reader_func=None):
    """Read a dataset written by `save` (`tf.data.Dataset.load`)."""
    path = os.fspath(path)
    meta = os.path.join(path, _META)
    if not os.path.exists(meta):
        raise FileNotFoundError(
            f"Dataset.load: {path!r} holds no dataset saved by capas (no {_META}); save one with "
            "dataset.save(path). TF's own snapshot format is not read."
        )
    with open(meta) as f:
        count = json.load(f)["cardinality"]
    data = os.path.join(path, _DATA)

    def make_iter():
        if os.path.exists(data):
            yield from _cache.read_elements(data)

    def spec():
        out = None
        for element in make_iter():
            out = spec_of(element) if out is None else relax(out, spec_of(element))
        if out is None:
            raise ValueError("Dataset.load: the saved dataset is empty; pass element_spec=.")
        return out

    return _ds.Dataset(make_iter, count, spec=element_spec, spec_fn=None if element_spec is not None else spec)


def _save_method(self, path, compression=None, shard_func=None, checkpoint_args=None):
    """Write this dataset to the folder `path` (capas's data-only format; see `tf.data.experimental.save`).

    Example:

    >>> import capas as tf, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> tf.data.Dataset.range(3).save(folder)
    >>> [int(x) for x in tf.data.Dataset.load(folder)]
    [0, 1, 2]
    """
    save(self, path, compression, shard_func, checkpoint_args)


_ds.Dataset.save = _save_method
_ds.Dataset.load = staticmethod(load)


# ------------------------------------------------------------------ files
class TFRecordWriter:
    """Write a dataset of scalar strings to a TFRecord file (`tf.data.experimental.TFRecordWriter`).

    Example:

    >>> import capas as tf, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "w.tfrecord")
    >>> tf.data.experimental.TFRecordWriter(path).write(tf.data.Dataset.from_tensor_slices(["ab", "c"]))
    >>> [r.numpy() for r in tf.data.TFRecordDataset(path)]
    [b'ab', b'c']
    """

    def __init__(self, filename, compression_type=None):
        self._filename = os.fspath(filename)
        self._compression = compression_type

    def write(self, dataset):

        with _Writer(self._filename, TFRecordOptions(self._compression or "")) as writer:
            for record in dataset:
                writer.write(_as_bytes(record))


def _as_bytes(value):
    if isinstance(value, bytes):
        return value
    if hasattr(value, "numpy"):
        value = value.numpy()
    value = np.asarray(value, dtype=object).item() if not isinstance(value, bytes) else value
    if isinstance(value, str):
        return value.encode()
    if not isinstance(value, bytes):
        raise TypeError(f"TFRecordWriter.write: the dataset must yield scalar strings, got {type(value).__name__}.")
    return value


def SqlDataset(driver_name, data_source_name, query, output_types):  # noqa: N802 - TF's class name
    """The rows of an SQL query as a dataset of tuples (`tf.data.experimental.SqlDataset`).

    Only the "sqlite" driver exists (as in TF), through Python's sqlite3.

    Example:

    >>> import capas as tf, os, sqlite3, tempfile
    >>> db = os.path.join(tempfile.mkdtemp(), "d.sqlite")
    >>> c = sqlite3.connect(db); _ = c.execute("create table t (n integer)"); _ = c.execute("insert into t values (4)")
    >>> c.commit(); c.close()
    >>> [int(n) for n in tf.data.experimental.SqlDataset("sqlite", db, "select n from t", tf.int32)]
    [4]
    """
    if driver_name != "sqlite":
        raise InvalidArgumentError(None, None, f"SqlDataset: driver_name must be 'sqlite', got {driver_name!r}.")
    types = output_types if isinstance(output_types, (tuple, list)) else (output_types,)
    single = not isinstance(output_types, (tuple, list))

    def is_str(dt):
        return getattr(dt, "name", None) == "string" or dt is str

    def convert(value, dt):
        if is_str(dt):
            return make_string(value if isinstance(value, bytes) else str(value).encode())
        return torch.as_tensor(value, dtype=dt)

    def make_iter():
        connection = sqlite3.connect(os.fspath(data_source_name))
        try:
            for row in connection.execute(query):
                if len(row) != len(types):
                    raise InvalidArgumentError(
                        None, None, f"SqlDataset: the query returns {len(row)} columns, output_types has {len(types)}."
                    )
                out = tuple(convert(v, t) for v, t in zip(row, types))
                yield out[0] if single else out
        finally:
            connection.close()

    def spec():
        specs = tuple(spec_of(convert(b"" if is_str(t) else 0, t)) for t in types)
        return specs[0] if single else specs

    return _ds.Dataset(make_iter, UNKNOWN_CARDINALITY, spec_fn=spec)


def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """`dataset.apply(parse_example_dataset(spec))` parses batches of serialized Examples.

    Example:

    >>> import capas as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[5]))})).SerializeToString()
    >>> spec = {"x": tf.io.FixedLenFeature([], tf.int64)}
    >>> ds = tf.data.Dataset.from_tensor_slices([ex, ex]).batch(2)
    >>> [b["x"].tolist() for b in ds.apply(tf.data.experimental.parse_example_dataset(spec))]
    [[5, 5]]
    """

    def apply(ds):
        out = ds.map(lambda serialized: parse_example(serialized, features))
        if all(isinstance(f, FixedLenFeature) for f in features.values()):
            batch = ds.element_spec.shape.as_list()[0] if ds.element_spec.shape.rank else None
            out._spec = {
                key: make_spec([batch] + [int(d) for d in (f.shape or [])], f.dtype) for key, f in features.items()
            }
        return out

    return apply


def make_batched_features_dataset(
    file_pattern,
    batch_size,
    features,
    reader=None,
    label_key=None,
    reader_args=None,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    reader_num_threads=None,
    parser_num_threads=None,
    sloppy_ordering=False,
    drop_final_batch=False,
):
    """Batches of parsed Examples read from files (`tf.data.experimental.make_batched_features_dataset`)."""

    reader = reader or TFRecordDataset
    patterns = [file_pattern] if isinstance(file_pattern, (str, os.PathLike)) else list(file_pattern)
    files = sorted(f for p in patterns for f in glob.glob(os.fspath(p)))
    if not files:
        raise InvalidArgumentError(None, None, f"make_batched_features_dataset: no files match {file_pattern!r}.")
    ds = _ds.Dataset.from_tensor_slices(files)
    if shuffle:
        ds = ds.shuffle(len(files), seed=shuffle_seed)
    ds = ds.interleave(lambda f: reader(f, *(reader_args or [])), cycle_length=1)
    if num_epochs != 1:
        ds = ds.repeat(num_epochs)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    ds = ds.batch(batch_size, drop_remainder=drop_final_batch)
    ds = ds.apply(parse_example_dataset(features))
    if label_key is not None:
        if label_key not in features:
            raise ValueError(f"make_batched_features_dataset: label_key {label_key!r} is not in `features`.")
        ds = ds.map(lambda parsed: ({k: v for k, v in parsed.items() if k != label_key}, parsed[label_key]))
    return ds


# ------------------------------------------------------------------ devices, debug, random
def copy_to_device(target_device, source_device="/cpu:0"):
    """`dataset.apply(copy_to_device(d))`: the same elements (capas's elements live where torch puts
    them); as in TF, the cardinality becomes unknown."""
    return lambda ds: ds._derive(lambda: iter(ds), UNKNOWN_CARDINALITY, spec_fn=lambda: ds.element_spec)


def prefetch_to_device(device, buffer_size=None):
    """`dataset.apply(prefetch_to_device(d))`: the same elements, prefetched; as in TF, the
    cardinality becomes unknown."""
    return lambda ds: copy_to_device(device)(ds.prefetch(buffer_size or 1))


_debug = {"on": False}


def enable_debug_mode():
    """Run dataset functions eagerly (they always are in capas); kept for TF code that calls it."""
    _debug["on"] = True


def RandomDataset(seed=None, name=None):  # noqa: N802 - TF's class name
    """An infinite dataset of random int64 scalars (`tf.data.experimental.RandomDataset`).

    Differs from TF: the numbers are torch's, not TF's Philox stream; one seed gives one sequence.

    Example:

    >>> import capas as tf
    >>> a = [int(x) for x in tf.data.experimental.RandomDataset(seed=1).take(3)]
    >>> a == [int(x) for x in tf.data.experimental.RandomDataset(seed=1).take(3)]
    True
    """

    def make_iter():
        gen = torch.Generator()
        gen.manual_seed(int(seed) if seed is not None else int(torch.seed()))
        while True:
            yield torch.randint(-(2**63), 2**63 - 1, (), generator=gen, dtype=torch.int64)

    return _ds.Dataset(make_iter, INFINITE_CARDINALITY, spec_fn=lambda: spec_of(torch.tensor(0)))


# ------------------------------------------------------------------ lookup tables
def table_from_dataset(
    dataset=None, num_oov_buckets=0, vocab_size=None, default_value=None, hasher_spec=None, key_dtype=None, name=None
):
    """A `tf.lookup.StaticHashTable` (or `StaticVocabularyTable` with `num_oov_buckets`) from a
    dataset of `(key, value)` pairs."""

    if num_oov_buckets and getattr(dataset.element_spec[0].dtype, "is_floating_point", None) is False:
        raise TypeError(
            f"table_from_dataset: Invalid `key dtype`, expected non-integer but got {dataset.element_spec[0].dtype} "
            "(out-of-vocabulary buckets hash string keys; use num_oov_buckets=0 or string keys)."
        )
    if vocab_size is not None:
        dataset = dataset.take(vocab_size)
    init = DatasetInitializer(dataset)
    if num_oov_buckets:
        return lookup.StaticVocabularyTable(init, num_oov_buckets)
    return lookup.StaticHashTable(init, default_value)


def index_table_from_dataset(
    dataset=None, num_oov_buckets=0, vocab_size=None, default_value=-1, hasher_spec=None, key_dtype=None, name=None
):
    """A table that maps each key of `dataset` to its position (`tf.data.experimental.index_table_from_dataset`).

    Example:

    >>> import capas as tf
    >>> table = tf.data.experimental.index_table_from_dataset(tf.data.Dataset.range(5, 8))
    >>> table.lookup(tf.constant([7, 5, 9], tf.int64)).tolist()
    [2, 0, -1]
    """
    return table_from_dataset(
        dataset.enumerate().map(lambda i, k: (k, i)), num_oov_buckets, vocab_size, default_value, hasher_spec, key_dtype
    )
