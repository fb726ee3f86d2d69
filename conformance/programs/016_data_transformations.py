"""tf.data transformations: filter, flat_map, window, unbatch, enumerate, concatenate, scan, etc.

Source: tensorflow/docs site/en/guide/data.ipynb ("Time series windowing", "Resampling",
"Iterator checkpointing") and site/en/guide/data_performance.ipynb
Covers: filter, enumerate, concatenate, skip, take_while, flat_map, window + flat_map, unbatch,
shuffle with a seed only for counts, scan, group_by_window, interleave, cache, prefetch(AUTOTUNE).
"""
from _target import report, tf

range_ds = tf.data.Dataset.range(20)
report("filter", list(range_ds.filter(lambda x: x % 3 == 0).as_numpy_iterator()))
report("enumerate", [(int(i), int(x)) for i, x in tf.data.Dataset.from_tensor_slices([7, 8]).enumerate()])
report("concatenate", list(tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(10, 12)).as_numpy_iterator()))
report("skip", list(range_ds.skip(17).as_numpy_iterator()))
report("take_while", list(range_ds.take_while(lambda x: x < 4).as_numpy_iterator()))
report("flat_map", list(tf.data.Dataset.range(3).flat_map(
    lambda x: tf.data.Dataset.from_tensors(x).repeat(x + 1)).as_numpy_iterator()))

batches = range_ds.batch(10, drop_remainder=True)
report("batches", [b.numpy() for b in batches])


def dense_1_step(batch):
    return batch[:-1], batch[1:]


predict_dense = batches.map(dense_1_step)
for features, label in predict_dense.take(1):
    report("features_label", [features.numpy(), label.numpy()])

window_size = 5
windows = range_ds.window(window_size, shift=1)
report("window_contents", [list(w.as_numpy_iterator()) for w in windows.take(3)])


def sub_to_batch(sub):
    return sub.batch(window_size, drop_remainder=True)


report("windows_flat_map", [w.numpy() for w in windows.flat_map(sub_to_batch).take(3)])
report("unbatch", list(tf.data.Dataset.range(6).batch(4).unbatch().as_numpy_iterator()))
report("scan", list(tf.data.Dataset.range(5).scan(
    initial_state=tf.constant(0, dtype=tf.int64),
    scan_func=lambda state, x: (state + x, state + x)).as_numpy_iterator()))
grouped = range_ds.group_by_window(key_func=lambda x: x % 2,
                                   reduce_func=lambda key, ds: ds.batch(5), window_size=5)
report("group_by_window", sorted([b.numpy().tolist() for b in grouped]))
report("interleave", list(tf.data.Dataset.range(1, 4).interleave(
    lambda x: tf.data.Dataset.from_tensors(x).repeat(2), cycle_length=2, block_length=1).as_numpy_iterator()))
cached = tf.data.Dataset.range(4).map(lambda x: x * x).cache().prefetch(tf.data.AUTOTUNE)
report("cache_prefetch", [list(cached.as_numpy_iterator()), list(cached.as_numpy_iterator())])
parallel = tf.data.Dataset.range(8).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE)
report("parallel_map_ordered", list(parallel.as_numpy_iterator()))
shuffled = tf.data.Dataset.range(10).shuffle(10, seed=1)
report("shuffle_is_permutation", sorted(shuffled.as_numpy_iterator()))
