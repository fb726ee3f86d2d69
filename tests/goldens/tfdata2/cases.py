"""tf.data.experimental (the tfdata2 names) run under real TF (record.py) and capas (tests/data/test_tfdata2_goldens.py).

Each case is source code run with `tf`, `np` and `tmp` (an empty folder) in scope. It
sets `ds` (elements, element_spec and cardinality are compared), `value` (any structure,
compared as is) or `spec` (an element spec). Encoding reuses tests/goldens/data/cases.py.
"""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "_tfdata2_data_cases", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "cases.py")
)
_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_data)

_EXAMPLES = (
    "path = tmp + '/ex.tfrecord'\n"
    "with tf.io.TFRecordWriter(path) as w:\n"
    "    for i in range(5):\n"
    "        w.write(tf.train.Example(features=tf.train.Features(feature={\n"
    "            'x': tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),\n"
    "            'y': tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5, 1.0])),\n"
    "            'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2]))})).SerializeToString())\n"
    "features = {'x': tf.io.FixedLenFeature([], tf.int64), 'y': tf.io.FixedLenFeature([2], tf.float32),\n"
    "            'label': tf.io.FixedLenFeature([], tf.int64)}\n"
)

CASES = {
    "from_list_tuples": "ds = tf.data.experimental.from_list([(1, 'a'), (2, 'b')])",
    "from_list_shapes": "ds = tf.data.experimental.from_list([np.zeros(2, 'float32'), np.ones(3, 'float32')])",
    "from_list_dicts": "ds = tf.data.experimental.from_list([{'a': 1.5, 'b': [1, 2]}, {'a': 2.5, 'b': [3, 4]}])",
    "from_list_empty": "ds = tf.data.experimental.from_list([])",
    "at_index": "value = tf.data.experimental.at(tf.data.Dataset.range(10, 20), 3)",
    "at_past_end": "value = tf.data.experimental.at(tf.data.Dataset.range(3), 5)",
    "unique": "ds = tf.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3]).apply(tf.data.experimental.unique())",
    "get_structure": (
        "spec = tf.data.experimental.get_structure(tf.data.Dataset.from_tensor_slices(({'a': [[1.0, 2.0]]}, [3])))"
    ),
    "get_structure_iterator": ("spec = tf.data.experimental.get_structure(iter(tf.data.Dataset.range(3).batch(2)))"),
    "shuffle_and_repeat": (
        "d = tf.data.Dataset.range(5).apply(tf.data.experimental.shuffle_and_repeat(5, count=2, seed=1))\n"
        "value = (sorted(int(x) for x in d), int(d.cardinality()))"
    ),
    "map_and_batch": "ds = tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(lambda x: x * 2, 2))",
    "map_and_batch_drop": (
        "ds = tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(lambda x: (x, x + 1), 2,"
        " drop_remainder=True))"
    ),
    "parallel_interleave": (
        "ds = tf.data.Dataset.range(1, 4).apply(tf.data.experimental.parallel_interleave("
        "lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=1))"
    ),
    "group_by_reducer": (
        "r = tf.data.experimental.Reducer(lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s * 10)\n"
        "ds = tf.data.Dataset.range(7).apply(tf.data.experimental.group_by_reducer(lambda x: x % 3, r))\n"
        "value = sorted(int(x) for x in ds)"
    ),
    "dense_to_sparse_batch": (
        "d = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n))\n"
        "d = d.apply(tf.data.experimental.dense_to_sparse_batch(2, [4]))\n"
        "value = [(s.indices, s.values, s.dense_shape) for s in d]"
    ),
    "dense_to_sparse_batch_unknown_dim": (
        "d = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n))\n"
        "d = d.apply(tf.data.experimental.dense_to_sparse_batch(3, [-1]))\n"
        "value = [(s.indices, s.values, s.dense_shape) for s in d]"
    ),
    "dense_to_sparse_batch_too_long": (
        "d = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n))\n"
        "value = [s.values for s in d.apply(tf.data.experimental.dense_to_sparse_batch(2, [2]))]"
    ),
    "pad_to_cardinality": (
        "ds = tf.data.Dataset.from_tensor_slices({'a': [1, 2], 'b': [[1.0, 2.0], [3.0, 4.0]]})"
        ".apply(tf.data.experimental.pad_to_cardinality(4))"
    ),
    "pad_to_cardinality_mask_key": (
        "ds = tf.data.Dataset.from_tensor_slices({'a': [1]}).apply(tf.data.experimental.pad_to_cardinality(2, 'm'))"
    ),
    "save_load": (
        "d = tf.data.Dataset.range(5).map(lambda x: {'x': x, 'y': tf.cast(x, tf.float32) / 2})\n"
        "d.save(tmp + '/saved')\n"
        "ds = tf.data.Dataset.load(tmp + '/saved')"
    ),
    "experimental_save_load": (
        "tf.data.experimental.save(tf.data.Dataset.range(3).batch(2), tmp + '/s2')\n"
        "ds = tf.data.experimental.load(tmp + '/s2')"
    ),
    "tfrecord_writer": (
        "tf.data.experimental.TFRecordWriter(tmp + '/w.tfrecord').write(tf.data.Dataset.from_tensor_slices(['ab', 'c']))\n"
        "ds = tf.data.TFRecordDataset(tmp + '/w.tfrecord')"
    ),
    "tfrecord_writer_gzip": (
        "tf.data.experimental.TFRecordWriter(tmp + '/w.gz', 'GZIP').write(tf.data.Dataset.from_tensor_slices(['x']))\n"
        "ds = tf.data.TFRecordDataset(tmp + '/w.gz', compression_type='GZIP')"
    ),
    "sql_dataset": (
        "import sqlite3\n"
        "c = sqlite3.connect(tmp + '/db.sqlite')\n"
        "c.execute('create table t (name text, n integer, v real)')\n"
        "c.executemany('insert into t values (?, ?, ?)', [('a', 1, 0.5), ('bc', 2, 1.5)])\n"
        "c.commit(); c.close()\n"
        "ds = tf.data.experimental.SqlDataset('sqlite', tmp + '/db.sqlite', 'select name, n, v from t order by n',"
        " (tf.string, tf.int32, tf.float64))"
    ),
    "make_batched_features_dataset": _EXAMPLES
    + (
        "ds = tf.data.experimental.make_batched_features_dataset(path, 2, features, label_key='label',"
        " num_epochs=1, shuffle=False)"
    ),
    "make_batched_features_dataset_drop": _EXAMPLES
    + (
        "ds = tf.data.experimental.make_batched_features_dataset(path, 2, features, num_epochs=1,"
        " shuffle=False, drop_final_batch=True)"
    ),
    "parse_example_dataset": _EXAMPLES
    + "ds = tf.data.TFRecordDataset(path).batch(3).apply(tf.data.experimental.parse_example_dataset(features))",
    "copy_to_device": "ds = tf.data.Dataset.range(3).apply(tf.data.experimental.copy_to_device('/cpu:0'))",
    "prefetch_to_device": "ds = tf.data.Dataset.range(3).apply(tf.data.experimental.prefetch_to_device('/cpu:0'))",
    "index_table_from_dataset": (
        "t = tf.data.experimental.index_table_from_dataset(tf.data.Dataset.range(5, 8))\n"
        "value = t.lookup(tf.constant([7, 5, 9], tf.int64))"
    ),
    "index_table_from_dataset_oov": (
        "t = tf.data.experimental.index_table_from_dataset(tf.data.Dataset.range(5, 8), num_oov_buckets=1)\n"
        "value = t.lookup(tf.constant([7, 5, 9], tf.int64))"
    ),
    "table_from_dataset": (
        "d = tf.data.Dataset.from_tensor_slices((tf.constant([1, 2], tf.int64), tf.constant([10, 20], tf.int64)))\n"
        "t = tf.data.experimental.table_from_dataset(d, default_value=tf.constant(-5, tf.int64))\n"
        "value = t.lookup(tf.constant([2, 3, 1], tf.int64))"
    ),
    "dataset_initializer": (
        "d = tf.data.Dataset.from_tensor_slices((tf.constant([1, 2], tf.int64), tf.constant([10, 20], tf.int64)))\n"
        "t = tf.lookup.StaticHashTable(tf.data.experimental.DatasetInitializer(d), tf.constant(0, tf.int64))\n"
        "value = t.lookup(tf.constant([2, 3], tf.int64))"
    ),
    "enums": (
        "e = tf.data.experimental\n"
        "value = ([int(p.value) for p in e.AutoShardPolicy], [p.name for p in e.AutoShardPolicy],\n"
        "         [int(p.value) for p in e.AutotuneAlgorithm], [p.name for p in e.AutotuneAlgorithm],\n"
        "         [int(p.value) for p in e.ExternalStatePolicy], [p.name for p in e.ExternalStatePolicy],\n"
        "         int(e.SHARD_HINT))"
    ),
    "random_dataset_spec": "spec = tf.data.experimental.RandomDataset(seed=1).element_spec",
    "random_dataset_cardinality": "value = int(tf.data.experimental.RandomDataset(seed=1).cardinality())",
}


def _plain_sparse(value):
    """SparseTensors become (indices, values, dense_shape) tuples so the data encoder takes them."""
    if type(value).__name__ in ("SparseTensor", "SparseTensorValue"):
        return {"sparse": (value.indices, value.values, value.dense_shape)}
    if isinstance(value, dict):
        return {k: _plain_sparse(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_plain_sparse(v) for v in value)
    return value


def run_case(tf, code, tmp):
    """Run one case; returns the JSON-able record."""
    scope = {"tf": tf, "np": _data.np, "tmp": tmp}
    exec(code, scope)  # noqa: S102 - the cases are this file's own code
    if "ds" in scope:
        ds = scope["ds"]
        return {
            "elements": [_data.encode(_plain_sparse(e)) for e in ds],
            "spec": _data.encode_spec(ds.element_spec),
            "cardinality": int(ds.cardinality()),
        }
    if "spec" in scope:
        return {"spec": _data.encode_spec(scope["spec"])}
    return {"value": _data.encode(_plain_sparse(scope["value"]))}
