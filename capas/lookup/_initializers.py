"""Table initializers: `KeyValueTensorInitializer`, `TextFileInitializer` (+ `TextFileIndex`), `DatasetInitializer`."""

import os

from capas import errors
from capas.lookup import _keys
from capas.ops import strings as _strings


class TextFileIndex:
    """Which part of a line `TextFileInitializer` uses: the whole line (-2) or its number (-1)."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class _Initializer:
    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = key_dtype
        self._value_dtype = value_dtype

    @property
    def key_dtype(self):
        return _keys.public_dtype(self._key_dtype)

    @property
    def value_dtype(self):
        return _keys.public_dtype(self._value_dtype)

    def _pairs(self):
        """`(keys, values)` as Python lists (bytes for strings)."""
        raise NotImplementedError


class KeyValueTensorInitializer(_Initializer):
    """Fill a table from a tensor of keys and a tensor of values of the same length.

    Args:
        keys: a 1-D tensor (or list) of keys: strings or integers.
        values: a 1-D tensor (or list) of values, one per key.
        key_dtype, value_dtype: dtypes to convert to (default: inferred, as `tf.constant`).
        name: unused (TensorFlow's op name).

    Example:

    >>> import capas as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64))
    >>> table = tf.lookup.StaticHashTable(init, default_value=-1)
    >>> table.lookup(tf.constant(["b", "z"])).numpy().tolist()
    [2, -1]
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = _keys.to_tensor(keys, _keys.as_dtype(key_dtype))
        self._values = _keys.to_tensor(values, _keys.as_dtype(value_dtype))
        if self._keys.ndim != 1 or self._values.ndim != 1 or len(self._keys) != len(self._values):
            raise ValueError(
                f"KeyValueTensorInitializer: `keys` and `values` must be 1-D and of one length; received shapes "
                f"{list(self._keys.shape)} and {list(self._values.shape)}."
            )
        super().__init__(_keys.dtype_of(self._keys), _keys.dtype_of(self._values))

    def _pairs(self):
        return _keys.items(self._keys), _keys.items(self._values)


class TextFileInitializer(_Initializer):
    """Fill a table from a text file, one entry per line.

    Args:
        filename: the file's path.
        key_dtype, value_dtype: tf.string, or an integer/float dtype (the field is parsed).
        key_index, value_index: which field (split by `delimiter`, counted from 0), or
            `TextFileIndex.WHOLE_LINE` (-2) or `TextFileIndex.LINE_NUMBER` (-1).
        vocab_size: use only the first `vocab_size` lines (an error if the file has fewer).
        delimiter: the field separator (default tab).
        name: unused.
        value_index_offset: added to line numbers used as values.

    Example:

    >>> import capas as tf, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    >>> _ = open(path, "w").write("cat\\ndog\\n")
    >>> idx = tf.lookup.TextFileIndex
    >>> init = tf.lookup.TextFileInitializer(path, tf.string, idx.WHOLE_LINE, tf.int64, idx.LINE_NUMBER)
    >>> tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["dog", "cow"])).numpy().tolist()
    [1, -1]
    """

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ):
        if isinstance(filename, _strings.StringTensor):
            filename = filename.numpy()
        self._filename = os.fsdecode(filename) if isinstance(filename, bytes) else os.fspath(filename)
        key_dtype, value_dtype = _keys.as_dtype(key_dtype), _keys.as_dtype(value_dtype)
        for index, dtype, what in ((key_index, key_dtype, "key"), (value_index, value_dtype, "value")):
            if index < TextFileIndex.WHOLE_LINE:
                raise ValueError(
                    f"TextFileInitializer: invalid {what}_index {index}; use a field number >= 0, -1 or -2."
                )
            if index == TextFileIndex.LINE_NUMBER and (dtype == _keys.STRING or dtype.is_floating_point):
                raise ValueError(f"TextFileInitializer: a LINE_NUMBER {what} needs an integer dtype; received {dtype}.")
            if index == TextFileIndex.WHOLE_LINE and dtype != _keys.STRING:
                raise ValueError(f"TextFileInitializer: a WHOLE_LINE {what} needs tf.string; received {dtype}.")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"TextFileInitializer: `vocab_size` must be positive; received {vocab_size}.")
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter.encode() if isinstance(delimiter, str) else delimiter
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def _field(self, line, number, index, dtype, offset):
        if index == TextFileIndex.WHOLE_LINE:
            return line
        if index == TextFileIndex.LINE_NUMBER:
            return number + offset
        fields = line.split(self._delimiter)
        if index >= len(fields):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"TextFileInitializer: line {number} of {self._filename!r} has {len(fields)} field(s) split by "
                f"{self._delimiter!r}; field {index} was asked for. Check `delimiter` and the indices.",
            )
        return _keys.parse(fields[index], dtype, f"TextFileInitializer {self._filename!r} line {number}")

    def _pairs(self):
        try:
            with open(self._filename, "rb") as f:
                lines = f.read().split(b"\n")
        except OSError as exc:
            raise errors.NotFoundError(
                None, None, f"TextFileInitializer: cannot read {self._filename!r}: {exc}"
            ) from exc
        if lines and lines[-1] == b"":
            lines.pop()
        if self._vocab_size is not None:
            if len(lines) < self._vocab_size:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"TextFileInitializer: invalid vocab_size in {self._filename!r}: expected {self._vocab_size} "
                    f"lines, the file has {len(lines)}.",
                )
            lines = lines[: self._vocab_size]
        keys = [self._field(line, i, self._key_index, self._key_dtype, 0) for i, line in enumerate(lines)]
        values = [
            self._field(line, i, self._value_index, self._value_dtype, self._offset) for i, line in enumerate(lines)
        ]
        return keys, values


class DatasetInitializer(_Initializer):
    """Fill a table from a `tf.data.Dataset` of `(key, value)` pairs (`tf.lookup.experimental.DatasetInitializer`)."""

    def __init__(self, dataset):
        pairs = list(dataset)
        if pairs and not (isinstance(pairs[0], (tuple, list)) and len(pairs[0]) == 2):
            raise ValueError("DatasetInitializer: the dataset must yield (key, value) pairs.")
        self._key_list = [_keys.items(k)[0] for k, _ in pairs]
        self._value_list = [_keys.items(v)[0] for _, v in pairs]
        first_key, first_value = pairs[0] if pairs else (_strings.StringTensor(b""), _strings.StringTensor(b""))
        super().__init__(_keys.dtype_of(first_key), _keys.dtype_of(first_value))

    def _pairs(self):
        return self._key_list, self._value_list
