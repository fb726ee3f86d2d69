"""Lookup tables: `StaticHashTable`, `StaticVocabularyTable`, and the mutable `MutableHashTable`, `DenseHashTable`.

A table keeps a Python dict from keys (bytes for strings, ints) to values; `lookup`
maps a tensor of keys of any shape to a tensor of values of that shape (times the value
shape), so tables work eagerly and inside `Dataset.map`.
"""

import torch

from capas import errors
from capas.lookup import _keys

# TF's Fingerprint64 (farmhash) lives with keras.layers.Hashing; imported, not copied
from capas.ops._hashes import fingerprint64


class _Table:
    """What every table has: dtypes, `lookup` (also `table[keys]`), `size`, `export`."""

    def __init__(self, key_dtype, value_dtype, default_value, value_shape=()):
        self._key_dtype = key_dtype
        self._value_dtype = value_dtype
        self._value_shape = tuple(value_shape)
        self._table = {}
        self._default = default_value

    @property
    def key_dtype(self):
        return _keys.public_dtype(self._key_dtype)

    @property
    def value_dtype(self):
        return _keys.public_dtype(self._value_dtype)

    @property
    def default_value(self):
        return self._default_tensor()

    def _default_tensor(self):
        return _keys.to_tensor(self._default, self._value_dtype)

    def _default_item(self):
        value = _keys.items(self._default_tensor()) if not self._value_shape else [self._default_row()]
        return value[0]

    def _default_row(self):
        default = self._default_tensor()
        return _keys.rows(_keys.reshaped(default, (1,) + tuple(default.shape)))[0]

    def _name(self):
        return type(self).__name__

    def lookup(self, keys, name=None):
        """The values of `keys` (any shape); missing keys give the default value.

        Returns:
            A tensor of `keys.shape + value_shape` of the table's value dtype.
        """
        keys = _keys.checked_keys(keys, self._key_dtype, f"{self._name()}.lookup")
        default = self._default_item()
        table = self._table
        values = [table.get(k, default) for k in _keys.items(keys)]
        return _keys.build(values, tuple(keys.shape), self._value_dtype, self._value_shape)

    def __getitem__(self, keys):
        return self.lookup(keys)

    def size(self, name=None):
        """The number of entries, as an int64 scalar."""
        return torch.tensor(len(self._table), dtype=torch.int64)

    def export(self, name=None):
        """`(keys, values)`: two tensors holding every entry."""
        keys = list(self._table)
        values = [self._table[k] for k in keys]
        return (
            _keys.build(keys, (len(keys),), self._key_dtype),
            _keys.build(values, (len(values),), self._value_dtype, self._value_shape),
        )


def _fill(initializer, what):
    keys, values = initializer._pairs()
    table = {}
    for key, value in zip(keys, values):
        if key in table and table[key] != value:
            raise errors.InvalidArgumentError(
                None, None, f"{what}: the initializer gives key {key!r} two values ({table[key]!r} and {value!r})."
            )
        table[key] = value
    return table


class StaticHashTable(_Table):
    """An immutable table filled once by an initializer.

    Args:
        initializer: a `KeyValueTensorInitializer` or `TextFileInitializer`.
        default_value: the value for missing keys (of the table's value dtype).
        name, experimental_is_anonymous: accepted for TF's signature; unused.

    Example:

    >>> import capas as tf
    >>> keys = tf.constant(["apple", "banana"])
    >>> table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, tf.constant([0, 1], tf.int64)), -1)
    >>> table.lookup(tf.constant(["banana", "kiwi"])).numpy().tolist()
    [1, -1]
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        super().__init__(initializer._key_dtype, initializer._value_dtype, default_value)
        self._initializer = initializer
        self._table = _fill(initializer, "StaticHashTable")

    @property
    def initializer(self):
        return self._initializer


class StaticVocabularyTable(_Table):
    """A vocabulary: known keys get their ids, others one of `num_oov_buckets` ids after them.

    An unknown string `s` gets `vocab_size + Fingerprint64(s) % num_oov_buckets` (TF's
    farmhash fingerprint); an unknown integer is hashed as its decimal string, as TF does.

    Args:
        initializer: a `KeyValueTensorInitializer` or `TextFileInitializer` with int64 values
            (or None: every key hashed).
        num_oov_buckets: how many ids unknown keys share.
        lookup_key_dtype: the key dtype without an initializer (default tf.string).
        name, experimental_is_anonymous: unused.

    Example:

    >>> import capas as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["emerson", "lake"], tf.constant([0, 1], tf.int64))
    >>> table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=5)
    >>> table.lookup(tf.constant(["lake", "palmer"])).numpy().tolist()
    [1, 4]
    """

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None, experimental_is_anonymous=False):
        if num_oov_buckets <= 0:
            raise ValueError(f"StaticVocabularyTable: `num_oov_buckets` must be positive; received {num_oov_buckets}.")
        if initializer is None:
            key_dtype = _keys.as_dtype(lookup_key_dtype) or _keys.STRING
            table = {}
        else:
            if initializer._value_dtype != torch.int64:
                raise TypeError(
                    f"StaticVocabularyTable: the initializer's values must be int64 ids; received "
                    f"{_keys.dtype_name(initializer._value_dtype)}. Pass value_dtype=tf.int64."
                )
            key_dtype = initializer._key_dtype
            table = _fill(initializer, "StaticVocabularyTable")
        if key_dtype != _keys.STRING and key_dtype not in (torch.int32, torch.int64):
            raise TypeError(f"StaticVocabularyTable: keys must be strings or integers; received {key_dtype}.")
        super().__init__(key_dtype, torch.int64, -1)
        self._table = table
        self._initializer = initializer
        self._num_oov_buckets = int(num_oov_buckets)

    @property
    def initializer(self):
        return self._initializer

    def lookup(self, keys, name=None):
        keys = _keys.checked_keys(keys, self._key_dtype, "StaticVocabularyTable.lookup")
        vocab, buckets = len(self._table), self._num_oov_buckets
        out = []
        for key in _keys.items(keys):
            found = self._table.get(key)
            if found is None:
                data = key if isinstance(key, bytes) else str(key).encode()
                found = vocab + fingerprint64(data) % buckets
            out.append(found)
        return torch.tensor(out, dtype=torch.int64).reshape(tuple(keys.shape))

    def size(self, name=None):
        """The vocabulary size plus the number of OOV buckets."""
        return torch.tensor(len(self._table) + self._num_oov_buckets, dtype=torch.int64)


class MutableHashTable(_Table):
    """A table you `insert` into and `remove` from (`tf.lookup.experimental.MutableHashTable`).

    Values may be vectors: a `default_value` of shape `[d]` makes every value `[d]`.

    Example:

    >>> import capas as tf
    >>> table = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, default_value=-1.0)
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([1.0, 2.0]))
    >>> table.lookup(tf.constant(["b", "c"])).numpy().tolist()
    [2.0, -1.0]
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        key_dtype, value_dtype = _keys.as_dtype(key_dtype), _keys.as_dtype(value_dtype)
        shape = tuple(_keys.to_tensor(default_value, value_dtype).shape)
        super().__init__(key_dtype, value_dtype, default_value, value_shape=shape)

    def _check_key(self, key):
        pass

    def insert(self, keys, values, name=None):
        """Set `table[k] = v` for each pair (keys `[n]`, values `[n, *value_shape]`)."""
        keys = _keys.checked_keys(keys, self._key_dtype, f"{self._name()}.insert")
        values = _keys.to_tensor(values, self._value_dtype)
        key_items = _keys.items(keys)
        value_rows = _keys.rows(_keys.reshaped(values, (len(key_items),) + self._value_shape))
        if len(value_rows) != len(key_items):
            raise ValueError(
                f"{self._name()}.insert: {len(key_items)} keys but {len(value_rows)} values; give one value per key."
            )
        for key, value in zip(key_items, value_rows):
            self._check_key(key)
            self._table[key] = value

    def remove(self, keys, name=None):
        """Delete `keys` (missing ones are ignored)."""
        keys = _keys.checked_keys(keys, self._key_dtype, f"{self._name()}.remove")
        for key in _keys.items(keys):
            self._check_key(key)
            self._table.pop(key, None)

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """The values of `keys`; a missing key gets `dynamic_default_values` at its place, if given, else the default."""
        if dynamic_default_values is None:
            return super().lookup(keys)
        keys = _keys.checked_keys(keys, self._key_dtype, f"{self._name()}.lookup")
        defaults = _keys.to_tensor(dynamic_default_values, self._value_dtype)
        key_items = _keys.items(keys)
        default_rows = _keys.rows(_keys.reshaped(defaults, (len(key_items),) + self._value_shape))
        values = [self._table.get(k, d) for k, d in zip(key_items, default_rows)]
        return _keys.build(values, tuple(keys.shape), self._value_dtype, self._value_shape)


class DenseHashTable(MutableHashTable):
    """A mutable table with reserved `empty_key` and `deleted_key` (`tf.lookup.experimental.DenseHashTable`).

    TF stores it as open addressing; capas keeps a dict, so only the reserved keys
    and the API (`insert`, `insert_or_assign`, `lookup`, `erase`, `remove`, `size`) matter.
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        empty_key,
        deleted_key,
        initial_num_buckets=None,
        name="MutableDenseHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        super().__init__(key_dtype, value_dtype, default_value)
        self._empty = _keys.items(_keys.to_tensor(empty_key, self._key_dtype))[0]
        self._deleted = _keys.items(_keys.to_tensor(deleted_key, self._key_dtype))[0]
        if self._empty == self._deleted:
            raise errors.InvalidArgumentError(
                None, None, f"DenseHashTable: empty and deleted keys cannot be equal (both {self._empty!r})."
            )

    def _check_key(self, key):
        if key == self._empty or key == self._deleted:
            which = "empty_key" if key == self._empty else "deleted_key"
            raise errors.InvalidArgumentError(
                None, None, f"DenseHashTable: using the {which} ({key!r}) as a table key is not allowed."
            )

    def insert_or_assign(self, keys, values, name=None):
        """The same as `insert`."""
        self.insert(keys, values)

    def erase(self, keys, name=None):
        """The same as `remove`."""
        self.remove(keys)
