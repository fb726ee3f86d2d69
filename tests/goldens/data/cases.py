"""tf.data pipelines run under real TF (record.py) and under capas (tests/data/test_goldens.py).

Each case is source code run with `tf` (TensorFlow or capas), `np` and `tmp` (an
empty folder) in scope. It sets `ds` (a dataset: its elements, element_spec and
cardinality are compared) or `value` (any structure of tensors, compared as is).
"""

import math

import numpy as np

CASES = {
    # ---------------------------------------------------------------- sources
    "slices_tuple": "ds = tf.data.Dataset.from_tensor_slices((np.arange(6, dtype='float32').reshape(3, 2), [0, 1, 2]))",
    "slices_dict": "ds = tf.data.Dataset.from_tensor_slices({'a': [1.5, 2.5], 'b': [[1, 2], [3, 4]]})",
    "slices_strings": "ds = tf.data.Dataset.from_tensor_slices(['ab', 'c', ''])",
    "from_tensors": "ds = tf.data.Dataset.from_tensors(([1, 2, 3], 4.0))",
    "range_step": "ds = tf.data.Dataset.range(2, 11, 3)",
    "range_int32": "ds = tf.data.Dataset.range(3, output_type=tf.int32)",
    "counter": "ds = tf.data.experimental.Counter(start=5, step=-2).take(4)",
    "generator_signature": (
        "def gen():\n"
        "    for i in range(4):\n"
        "        yield i, np.arange(i, dtype='float64')\n"
        "ds = tf.data.Dataset.from_generator(gen, output_signature=(\n"
        "    tf.TensorSpec(shape=(), dtype=tf.int32), tf.TensorSpec(shape=(None,), dtype=tf.float32)))"
    ),
    "generator_types_shapes": (
        "def gen():\n"
        "    for i in range(3):\n"
        "        yield {'x': [i, i + 1], 'y': i * 0.5}\n"
        "ds = tf.data.Dataset.from_generator(gen, output_types={'x': tf.int64, 'y': tf.float32},\n"
        "                                    output_shapes={'x': (2,), 'y': ()})"
    ),
    "generator_args": (
        "def gen(n):\n"
        "    for i in range(int(n)):\n"
        "        yield i\n"
        "ds = tf.data.Dataset.from_generator(gen, args=(3,), output_signature=tf.TensorSpec((), tf.int64))"
    ),
    "generator_tuple_one_spec": (
        "def gen(n):\n"
        "    for i in range(int(n)):\n"
        "        yield (i,)\n"
        "ds = tf.data.Dataset.from_generator(gen, args=(3,), output_signature=tf.TensorSpec(shape=(1,), dtype=tf.int64))"
    ),
    "generator_nested_tuple_one_spec": (
        "ds = tf.data.Dataset.from_generator(lambda: iter([((0, 1), (2, 3))]),\n"
        "                                    output_signature=tf.TensorSpec(shape=(2, 2), dtype=tf.int32))"
    ),
    # -------------------------------------------------------------- batching
    "batch_remainder": "ds = tf.data.Dataset.range(7).batch(3)",
    "batch_drop_remainder": "ds = tf.data.Dataset.range(7).batch(3, drop_remainder=True)",
    "batch_tuple": "ds = tf.data.Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 1.5)).batch(2)",
    "padded_batch_default": "ds = tf.data.Dataset.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2)",
    "padded_batch_shapes": (
        "ds = tf.data.Dataset.range(1, 4).map(lambda x: (tf.fill([x], x), tf.fill([2, x], 1.0)))\n"
        "ds = ds.padded_batch(2, padded_shapes=([4], [None, 5]), padding_values=(tf.constant(-1, tf.int64), 9.0))"
    ),
    "padded_batch_strings": (
        "ds = tf.data.Dataset.from_generator(lambda: iter([['a'], ['b', 'c'], ['d', 'e', 'f']]),\n"
        "    output_signature=tf.TensorSpec([None], tf.string)).padded_batch(2, drop_remainder=True)"
    ),
    "unbatch": "ds = tf.data.Dataset.from_tensor_slices(np.arange(12).reshape(3, 2, 2)).unbatch()",
    "unbatch_after_batch": "ds = tf.data.Dataset.range(5).batch(2, drop_remainder=True).unbatch()",
    "window_flat": "ds = tf.data.Dataset.range(7).window(3, shift=2).flat_map(lambda w: w.batch(3))",
    "window_drop": "ds = tf.data.Dataset.range(7).window(3, shift=1, stride=2, drop_remainder=True).flat_map(lambda w: w.batch(3))",
    "window_big_shift": "ds = tf.data.Dataset.range(10).window(2, shift=4).flat_map(lambda w: w.batch(5))",
    "window_tuple": (
        "ds = tf.data.Dataset.zip(tf.data.Dataset.range(5), tf.data.Dataset.range(10, 15)).window(2)\n"
        "ds = ds.flat_map(lambda a, b: tf.data.Dataset.zip(a.batch(2), b.batch(2)))"
    ),
    "window_cardinality": "ds = tf.data.Dataset.range(8).window(3, shift=2)\nds = ds.flat_map(lambda w: w)",
    "window_cardinality_drop": "value = tf.data.Dataset.range(8).window(3, shift=2, drop_remainder=True).cardinality()",
    "window_cardinality_keep": "value = tf.data.Dataset.range(8).window(3, shift=2).cardinality()",
    "group_by_window": (
        "ds = tf.data.Dataset.range(10).group_by_window(key_func=lambda x: x % 3,\n"
        "    reduce_func=lambda key, w: w.batch(2), window_size=2)"
    ),
    "group_by_window_size_func": (
        "ds = tf.data.Dataset.range(12).group_by_window(key_func=lambda x: x % 2,\n"
        "    reduce_func=lambda key, w: w.batch(4), window_size_func=lambda key: key + 2)"
    ),
    "bucket_by_sequence_length": (
        "lengths = [1, 5, 2, 7, 3, 8, 2, 4, 6]\n"
        "ds = tf.data.Dataset.from_generator(lambda: (np.arange(n) + 1 for n in lengths),\n"
        "    output_signature=tf.TensorSpec([None], tf.int64))\n"
        "ds = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 3])"
    ),
    "bucket_pad_to_boundary": (
        "lengths = [1, 5, 2, 4, 3]\n"
        "ds = tf.data.Dataset.from_generator(lambda: (np.arange(n) + 1 for n in lengths),\n"
        "    output_signature=tf.TensorSpec([None], tf.int64))\n"
        "ds = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 7], [2, 2, 2],\n"
        "    pad_to_bucket_boundary=True, padding_values=tf.constant(-1, tf.int64))"
    ),
    # ---------------------------------------------------------- transforms
    "map_dict": "ds = tf.data.Dataset.range(3).map(lambda x: {'sq': x * x, 'f': tf.cast(x, tf.float32) / 2})",
    "map_batched_spec": "ds = tf.data.Dataset.range(5).batch(2).map(lambda x: (x, tf.reduce_sum(x)))",
    "map_parallel": "ds = tf.data.Dataset.range(20).map(lambda x: x * 3, num_parallel_calls=tf.data.AUTOTUNE)",
    "filter": "ds = tf.data.Dataset.range(10).filter(lambda x: x % 3 == 0)",
    "flat_map": "ds = tf.data.Dataset.range(4).flat_map(lambda x: tf.data.Dataset.range(x).map(lambda y: y + 10 * x))",
    "interleave_blocks": (
        "ds = tf.data.Dataset.range(1, 6).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x),\n"
        "    cycle_length=2, block_length=2)"
    ),
    "interleave_cycle3": (
        "ds = tf.data.Dataset.range(1, 6).interleave(lambda x: tf.data.Dataset.range(10 * x, 10 * x + x),\n"
        "    cycle_length=3, block_length=1, num_parallel_calls=2)"
    ),
    "scan": "ds = tf.data.Dataset.range(6).scan(tf.constant(1, tf.int64), lambda s, x: (s * 2, s + x))",
    "scan_tuple_state": (
        "ds = tf.data.Dataset.range(5).scan((tf.constant(0, tf.int64), tf.constant(1, tf.int64)),\n"
        "    lambda s, x: ((s[1], s[0] + s[1]), s[0] * x))"
    ),
    "enumerate": "ds = tf.data.Dataset.from_tensor_slices([5.0, 6.0, 7.0]).enumerate(start=3)",
    "unique": "ds = tf.data.Dataset.from_tensor_slices(tf.constant([3, 1, 3, 2, 1, 5], tf.int64)).unique()",
    "unique_strings": "ds = tf.data.Dataset.from_tensor_slices(['b', 'a', 'b', 'c']).unique()",
    "interleave_parallel_files": (
        "import os\n"
        "for i in range(3):\n"
        "    open(os.path.join(tmp, f'{i}.txt'), 'w').write(''.join(f'{i}-{j}\\n' for j in range(i + 2)))\n"
        "files = tf.data.Dataset.from_tensor_slices([os.path.join(tmp, f'{i}.txt') for i in range(3)])\n"
        "ds = files.interleave(tf.data.TextLineDataset, cycle_length=2, block_length=2, num_parallel_calls=2)"
    ),
    "take_while": "ds = tf.data.Dataset.range(10).take_while(lambda x: x < 4)",
    "zip_tuple": "ds = tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(5).map(lambda x: tf.cast(x, tf.float32) * 2.0)))",
    "zip_dict": "ds = tf.data.Dataset.zip({'a': tf.data.Dataset.range(2), 'b': tf.data.Dataset.range(4, 8)})",
    "zip_infinite": "ds = tf.data.Dataset.zip(tf.data.Dataset.range(3), tf.data.Dataset.range(5).repeat())",
    "concatenate": "ds = tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(7, 9))",
    "concatenate_relax": (
        "a = tf.data.Dataset.from_tensors([1, 2])\nb = tf.data.Dataset.from_tensors([3, 4, 5])\nds = a.concatenate(b)"
    ),
    "shard": "ds = tf.data.Dataset.range(10).shard(3, 2)",
    "skip_take_repeat": "ds = tf.data.Dataset.range(5).skip(2).repeat(2).take(5)",
    "take_all": "ds = tf.data.Dataset.range(4).take(-1)",
    "skip_all": "ds = tf.data.Dataset.range(4).skip(-1)",
    "choose_from_datasets": (
        "a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)\n"
        "choice = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0, 0, 0], tf.int64))\n"
        "ds = tf.data.Dataset.choose_from_datasets([a, b], choice, stop_on_empty_dataset=False)"
    ),
    "choose_stop_on_empty": (
        "a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)\n"
        "choice = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0], tf.int64))\n"
        "ds = tf.data.Dataset.choose_from_datasets([a, b], choice)"
    ),
    "sample_from_datasets_sorted": (
        "a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 14)\n"
        "value = sorted(int(x) for x in tf.data.Dataset.sample_from_datasets([a, b], weights=[0.3, 0.7], seed=3))"
    ),
    "apply": "ds = tf.data.Dataset.range(6).apply(lambda d: d.filter(lambda x: x > 2).map(lambda x: -x))",
    "cache_memory": "ds = tf.data.Dataset.range(4).map(lambda x: x + 1).cache()",
    # ---------------------------------------------------------------- values
    "reduce_sum": "value = tf.data.Dataset.range(5).reduce(tf.constant(0, tf.int64), lambda s, x: s + x)",
    "reduce_tuple": (
        "value = tf.data.Dataset.range(1, 5).reduce((tf.constant(0, tf.int64), tf.constant(1, tf.int64)),\n"
        "    lambda s, x: (s[0] + x, s[1] * x))"
    ),
    "get_single_element": "value = tf.data.Dataset.from_tensors({'a': [1, 2]}).get_single_element()",
    "cardinalities": (
        "r = tf.data.Dataset.range(10)\n"
        "value = [r.cardinality(), r.repeat().cardinality(), r.filter(lambda x: True).cardinality(),\n"
        "    r.repeat().take(5).cardinality(), r.batch(3).cardinality(), r.batch(3, True).cardinality(),\n"
        "    r.shard(4, 3).cardinality(), r.skip(12).cardinality(), r.repeat(3).cardinality(),\n"
        "    r.take(0).repeat().cardinality(), r.filter(lambda x: True).repeat().cardinality(),\n"
        "    r.enumerate().cardinality(), r.concatenate(r.repeat()).cardinality(),\n"
        "    tf.data.experimental.cardinality(r.unbatch() if False else r.batch(2).unbatch()),\n"
        "    r.filter(lambda x: True).apply(tf.data.experimental.assert_cardinality(10)).cardinality()]"
    ),
    "constants": (
        "value = [tf.data.AUTOTUNE, tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY,\n"
        "    tf.data.experimental.AUTOTUNE]"
    ),
    # ----------------------------------------------------------------- files
    "text_lines": (
        "import os\n"
        "for name, text in [('a.txt', 'one\\ntwo\\r\\n\\nthree'), ('b.txt', 'four\\n')]:\n"
        "    open(os.path.join(tmp, name), 'w', newline='').write(text)\n"
        "ds = tf.data.TextLineDataset([os.path.join(tmp, 'a.txt'), os.path.join(tmp, 'b.txt')])"
    ),
    "text_lines_gzip": (
        "import gzip, os\n"
        "with gzip.open(os.path.join(tmp, 'a.gz'), 'wb') as f:\n"
        "    f.write(b'x,1\\ny,2\\n')\n"
        "ds = tf.data.TextLineDataset(os.path.join(tmp, 'a.gz'), compression_type='GZIP')"
    ),
    "list_files_sorted": (
        "import os\n"
        "for name in ['b.csv', 'a.csv', 'c.txt']:\n"
        "    open(os.path.join(tmp, name), 'w').write('x')\n"
        "files = tf.data.Dataset.list_files(os.path.join(tmp, '*.csv'), shuffle=False)\n"
        "value = [os.path.basename(f) for f in files.as_numpy_iterator()] + [int(files.cardinality())]"
    ),
    "csv_dataset": (
        "import os\n"
        "open(os.path.join(tmp, 'd.csv'), 'w').write('a,b,c\\n1,2.5,x\\n3,,\"y,z\"\\n5,6,\\n')\n"
        "ds = tf.data.experimental.CsvDataset(os.path.join(tmp, 'd.csv'),\n"
        "    [tf.int32, tf.constant(-1.0, tf.float32), tf.constant('none')], header=True)"
    ),
    "csv_dataset_select": (
        "import os\n"
        "open(os.path.join(tmp, 'd.csv'), 'w').write('1|2|3\\n4|5|6\\n')\n"
        "ds = tf.data.experimental.CsvDataset(os.path.join(tmp, 'd.csv'), [tf.int64, tf.float64],\n"
        "    field_delim='|', select_cols=[0, 2])"
    ),
    "make_csv_dataset": (
        "import os\n"
        "open(os.path.join(tmp, 'd.csv'), 'w').write('age,fare,name,survived\\n22,7.25,A,0\\n38,71.5,B,1\\n26,7.9,C,1\\n')\n"
        "ds = tf.data.experimental.make_csv_dataset(os.path.join(tmp, 'd.csv'), batch_size=2, label_name='survived',\n"
        "    num_epochs=1, shuffle=False)"
    ),
    "make_csv_dataset_select": (
        "import os\n"
        "open(os.path.join(tmp, 'd.csv'), 'w').write('x,y,z\\n1,2.0,3\\n4,5.5,6\\n7,8.0,9\\n')\n"
        "ds = tf.data.experimental.make_csv_dataset(os.path.join(tmp, 'd.csv'), batch_size=3, select_columns=['x', 'z'],\n"
        "    column_defaults=[tf.float32, tf.int64], num_epochs=2, shuffle=False)"
    ),
    # ---------------------------------------------------------------- ragged elements
    "ragged_slices": "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]))",
    "ragged_string_slices": "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([['a', 'b'], ['c'], []]))",
    "ragged_batch_of_rows": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])).batch(2)"
    ),
    "ragged_batch_drop_remainder": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1], [], [5, 9, 2]]))\n"
        "ds = ds.batch(2, drop_remainder=True)"
    ),
    "ragged_unbatch": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]))\n"
        "ds = ds.batch(2).unbatch()"
    ),
    "ragged_batch_twice": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]))\n"
        "ds = ds.batch(2).batch(2)"
    ),
    "ragged_shuffle_take_keep_spec": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [], [4, 5, 6]]))\n"
        "ds = ds.take(3).shuffle(1).batch(2)"
    ),
    "ragged_map_over_batches": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]))\n"
        "ds = ds.batch(2).map(lambda x: x * 2 + 1)"
    ),
    "ragged_map_over_rows": (
        "ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]))\n"
        "ds = ds.map(lambda row: (tf.reduce_sum(row), tf.size(row)))"
    ),
    "ragged_batch_method": "ds = tf.data.Dataset.range(1, 6).map(lambda x: tf.range(x)).ragged_batch(2)",
    "dense_to_ragged_batch": (
        "ds = tf.data.Dataset.range(4).map(lambda x: tf.fill([x], x))\n"
        "ds = ds.apply(tf.data.experimental.dense_to_ragged_batch(3))"
    ),
    "ragged_batch_inner_fixed_dim": "ds = tf.data.Dataset.range(3).map(lambda x: tf.fill([x, 2], x)).ragged_batch(2)",
    "ragged_batch_fixed_shape_is_dense": "ds = tf.data.Dataset.range(4).map(lambda x: tf.fill([2], x)).ragged_batch(3)",
    "ragged_batch_split_strings": (
        "ds = tf.data.Dataset.from_tensor_slices(['a b', 'c d e', 'f']).map(tf.strings.split).ragged_batch(2)"
    ),
    "ragged_batch_tuple": (
        "ds = tf.data.Dataset.from_tensor_slices((['1 2', '3', '4 5 6'], [0, 1, 0]))\n"
        "ds = ds.map(lambda line, y: (tf.strings.to_number(tf.strings.split(line), tf.int32), y)).ragged_batch(2)"
    ),
    "ragged_batch_then_map_to_dense": (
        "ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.range(x)).ragged_batch(3)\n"
        "ds = ds.map(lambda rt: rt.to_tensor())"
    ),
}


def encode(value):
    """A JSON-able description of a value: datasets, structures and leaves (TF or capas)."""
    if hasattr(value, "element_spec") and hasattr(value, "cardinality"):
        return {"dataset": [encode(e) for e in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, (tuple, list)):
        return {type(value).__name__ if type(value) in (tuple, list) else "tuple": [encode(v) for v in value]}
    if isinstance(value, (bool, int, float, str, bytes)):
        return {"py": _plain(value)}
    if type(value).__name__ == "RaggedTensor":
        return {
            "ragged": _plain(value.to_list()),
            "ragged_rank": int(value.ragged_rank),
            "dtype": getattr(value.dtype, "name", None) or str(value.dtype).replace("torch.", ""),
        }
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    dtype = "string" if arr.dtype.kind in "OSU" else arr.dtype.name
    return {"dtype": dtype, "shape": list(arr.shape), "value": _plain(arr.tolist())}


def _plain(v):
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, bytes):
        return "b:" + v.decode("latin-1")
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return v


def encode_spec(spec):
    """A JSON-able description of an element_spec (TF or capas)."""
    if isinstance(spec, dict):
        return {"dict": {str(k): encode_spec(v) for k, v in spec.items()}}
    if isinstance(spec, (tuple, list)):
        return {"tuple": [encode_spec(v) for v in spec]}
    if type(spec).__name__ == "DatasetSpec":
        return {"dataset": encode_spec(spec.element_spec)}
    shape = spec.shape
    dims = None if shape.rank is None else [None if d is None else int(d) for d in shape.as_list()]
    dtype = getattr(spec.dtype, "name", None) or str(spec.dtype).replace("torch.", "")
    if type(spec).__name__ == "RaggedTensorSpec":
        return {"shape": dims, "dtype": dtype, "ragged_rank": int(spec.ragged_rank)}
    return {"shape": dims, "dtype": dtype}


def run_case(tf, code, tmp):
    """Run one case; returns the JSON-able record."""
    scope = {"tf": tf, "np": np, "tmp": tmp}
    exec(code, scope)  # noqa: S102 - the cases are this file's own code
    if "ds" in scope:
        ds = scope["ds"]
        return {
            "elements": [encode(e) for e in ds],
            "spec": encode_spec(ds.element_spec),
            "cardinality": int(ds.cardinality()),
        }
    return {"value": encode(scope["value"])}
