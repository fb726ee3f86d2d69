"""tf.lookup cases run unchanged by TensorFlow (record.py) and capas (tests/test_lookup.py)."""

import os
import tempfile

import numpy as np


def _py(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        return _py(x.tolist())
    if isinstance(x, bytes):
        return "b:" + x.decode("latin-1")
    if isinstance(x, (list, tuple)):
        return [_py(v) for v in x]
    if isinstance(x, np.generic):
        return _py(x.item())
    return x


def _dt(x):
    return str(getattr(x, "name", x)).replace("torch.", "")


def _error(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - record the kind TF raises
        return type(exc).__name__
    return None


def _sorted_export(table):
    keys, values = table.export()
    pairs = [list(p) for p in sorted(zip(_py(keys), _py(values)))]
    return pairs


def static(tf):
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant(["apple", "banana", "cherry"]), tf.constant([0, 1, 2], tf.int64)
    )
    table = tf.lookup.StaticHashTable(init, default_value=-1)
    ids = table.lookup(tf.constant([["apple", "durian"], ["cherry", "apple"]]))
    to_str = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant([3, 7], tf.int64), tf.constant(["three", "seven"])), "UNK"
    )
    floats = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1, 2, 3], [10.0, 20.0, 30.0]), -1.0)
    return {
        "ids": _py(ids),
        "ids_dtype": _dt(ids.dtype),
        "size": _py(table.size()),
        "getitem": _py(table[tf.constant(["banana"])]),
        "dtypes": [_dt(table.key_dtype), _dt(table.value_dtype), _dt(init.key_dtype), _dt(init.value_dtype)],
        "default_value": _py(table.default_value),
        "export": _sorted_export(table),
        "to_str": _py(to_str.lookup(tf.constant([7, 1, 3], tf.int64))),
        "floats_dtypes": [_dt(floats.key_dtype), _dt(floats.value_dtype)],
        "floats": _py(floats.lookup(tf.constant([3, 4]))),
        "scalar": _py(table.lookup(tf.constant("cherry"))),
        "wrong_key_dtype": _error(lambda: to_str.lookup(tf.constant([1, 2]))),
        "int_for_string_table": _error(lambda: table.lookup(tf.constant([1]))),
    }


def vocabulary(tf):
    words = tf.constant(["emerson", "lake", "palmer"])
    init = tf.lookup.KeyValueTensorInitializer(words, tf.range(3, dtype=tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=5)
    queries = ["emerson", "lake", "and", "palmer", "king", "crimson", "", "yes", "genesis", "rush"]
    ints = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)), 7
    )
    only_oov = tf.lookup.StaticVocabularyTable(None, num_oov_buckets=11, lookup_key_dtype=tf.string)
    return {
        "ids": _py(table.lookup(tf.constant(queries))),
        "size": _py(table.size()),
        "dtypes": [_dt(table.key_dtype), _dt(table.value_dtype)],
        "int_ids": _py(ints.lookup(tf.constant([10, 11, 20, 12345, -3, 0], tf.int64))),
        "only_oov": _py(only_oov.lookup(tf.constant(queries))),
        "only_oov_size": _py(only_oov.size()),
    }


def _vocab_file(folder):
    path = os.path.join(folder, "vocab.txt")
    with open(path, "w") as f:
        f.write("the\t7\tDET\nquick\t3\tADJ\nbrown\t5\tADJ\nfox\t11\tNOUN\n")
    csv = os.path.join(folder, "vocab.csv")
    with open(csv, "w") as f:
        f.write("10,ten\n20,twenty\n30,thirty\n")
    return path, csv


def text_file(tf):
    with tempfile.TemporaryDirectory() as folder:
        path, csv = _vocab_file(folder)
        idx = tf.lookup.TextFileIndex
        lines = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(path, tf.string, idx.WHOLE_LINE, tf.int64, idx.LINE_NUMBER), -1
        )
        words = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, idx.LINE_NUMBER), -1
        )
        column = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, 1), -1)
        tags = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, tf.string, 0, tf.string, 2), "?")
        limited = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, idx.LINE_NUMBER, vocab_size=2), -1
        )
        by_int = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(csv, tf.int64, 0, tf.string, 1, delimiter=","), "none"
        )
        offset = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, idx.LINE_NUMBER, value_index_offset=100), -1
        )
        vocab = tf.lookup.StaticVocabularyTable(
            tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, idx.LINE_NUMBER), num_oov_buckets=3
        )
        q = tf.constant(["fox", "the", "cat", "brown", "the\t7\tDET"])
        return {
            "index_constants": [idx.WHOLE_LINE, idx.LINE_NUMBER],
            "lines": _py(lines.lookup(q)),
            "words": _py(words.lookup(q)),
            "column": _py(column.lookup(q)),
            "tags": _py(tags.lookup(q)),
            "limited": _py(limited.lookup(q)),
            "limited_size": _py(limited.size()),
            "by_int": _py(by_int.lookup(tf.constant([20, 40, 10], tf.int64))),
            "offset": _py(offset.lookup(q)),
            "vocab": _py(vocab.lookup(q)),
            "vocab_size": _py(vocab.size()),
            "too_big_vocab_size": _error(
                lambda: tf.lookup.StaticHashTable(
                    tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, idx.LINE_NUMBER, vocab_size=9), -1
                )
            ),
        }


def mutable(tf):
    table = tf.lookup.experimental.MutableHashTable(key_dtype=tf.string, value_dtype=tf.float32, default_value=-1.0)
    table.insert(tf.constant(["a", "b", "c"]), tf.constant([1.0, 2.0, 3.0]))
    first = table.lookup(tf.constant(["a", "z", "c"]))
    table.insert(tf.constant(["a"]), tf.constant([9.0]))
    table.remove(tf.constant(["b", "nope"]))
    ints = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, default_value=0)
    ints.insert(tf.constant([5, 6], tf.int64), tf.constant([50, 60], tf.int64))
    vectors = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=[-1, -1])
    vectors.insert(tf.constant(["x", "y"]), tf.constant([[1, 2], [3, 4]], tf.int64))
    names = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, default_value="?")
    names.insert(tf.constant([1, 2], tf.int64), tf.constant(["one", "two"]))
    pairs = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, default_value=["?", "?"])
    pairs.insert(tf.constant([1], tf.int64), tf.constant([["a", "b"]]))
    return {
        "names": _py(names.lookup(tf.constant([[2, 3], [1, 1]], tf.int64))),
        "names_export": _sorted_export(names),
        "string_vectors": _py(pairs.lookup(tf.constant([1, 2], tf.int64))),
        "first": _py(first),
        "after": _py(table.lookup(tf.constant(["a", "b", "c"]))),
        "size": _py(table.size()),
        "export": _sorted_export(table),
        "dynamic_default": _py(table.lookup(tf.constant(["a", "q"]), dynamic_default_values=tf.constant([7.0, 8.0]))),
        "ints": _py(ints.lookup(tf.constant([[6, 7], [5, 5]], tf.int64))),
        "ints_dtypes": [_dt(ints.key_dtype), _dt(ints.value_dtype)],
        "vectors": _py(vectors.lookup(tf.constant(["y", "w"]))),
        "vectors_2d": _py(vectors.lookup(tf.constant([["y"], ["x"]]))),
    }


def dense(tf):
    table = tf.lookup.experimental.DenseHashTable(
        key_dtype=tf.int64, value_dtype=tf.int64, default_value=-1, empty_key=0, deleted_key=-1
    )
    table.insert(tf.constant([1, 2, 3], tf.int64), tf.constant([10, 20, 30], tf.int64))
    first = table.lookup(tf.constant([3, 4, 1], tf.int64))
    table.erase(tf.constant([2], tf.int64))
    table.insert_or_assign(tf.constant([3], tf.int64), tf.constant([33], tf.int64))
    strings = tf.lookup.experimental.DenseHashTable(tf.string, tf.float32, -1.0, empty_key="", deleted_key="$")
    strings.insert(tf.constant(["k"]), tf.constant([0.5]))
    return {
        "first": _py(first),
        "after": _py(table.lookup(tf.constant([1, 2, 3], tf.int64))),
        "size": _py(table.size()),
        "strings": _py(strings.lookup(tf.constant(["k", "j"]))),
        "insert_empty_key": _error(lambda: table.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64))),
        "same_empty_deleted": _error(
            lambda: tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=5, deleted_key=5)
        ),
    }


def in_dataset(tf):
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64)), 0
    )
    vocab = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([0, 1], tf.int64)), 4
    )
    ds = tf.data.Dataset.from_tensor_slices(tf.constant(["a", "c", "b", "zz"]))
    mapped = [_py(x) for x in ds.map(table.lookup)]
    batched = [_py(x) for x in ds.batch(2).map(lambda s: (vocab.lookup(s), s))]
    return {"mapped": mapped, "batched": batched}


CASES = {
    "static": static,
    "vocabulary": vocabulary,
    "text_file": text_file,
    "mutable": mutable,
    "dense": dense,
    "in_dataset": in_dataset,
}
