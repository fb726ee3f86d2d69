"""tf.data basics: building datasets, iterating, reducing, element_spec, batching and mapping.

Source: tensorflow/docs site/en/guide/data.ipynb ("Basic mechanics", "Dataset structure",
"Batching dataset elements")
Covers: from_tensor_slices, iteration and next(iter()), reduce, element_spec of tuples and dicts,
Dataset.zip, range, batch (drop_remainder), map, repeat, take, padded_batch, cardinality.
"""
from _target import report, tf

dataset = tf.data.Dataset.from_tensor_slices([8, 3, 0, 8, 2, 1])
report("iterate", [elem.numpy() for elem in dataset])
it = iter(dataset)
report("next", next(it).numpy())
report("reduce", dataset.reduce(0, lambda state, value: state + value).numpy())
report("cardinality", int(dataset.cardinality()))

dataset1 = tf.data.Dataset.from_tensor_slices(tf.ones([4, 10]))
report("spec1.shape", dataset1.element_spec.shape)
report("spec1.dtype", dataset1.element_spec.dtype)
dataset2 = tf.data.Dataset.from_tensor_slices((tf.ones([4]), tf.ones([4, 100], dtype=tf.int32)))
report("spec2", [[s.shape, s.dtype] for s in dataset2.element_spec])
dataset3 = tf.data.Dataset.zip((dataset1, dataset2))
report("zip.first_shapes", [list(next(iter(dataset3))[0].shape), list(next(iter(dataset3))[1][1].shape)])
dataset4 = tf.data.Dataset.from_tensor_slices({"a": tf.constant([1, 2]), "b": tf.constant([3.0, 4.0])})
report("dict_spec_keys", sorted(dataset4.element_spec.keys()))
report("dict_elements", [{k: v.numpy() for k, v in e.items()} for e in dataset4])

inc_dataset = tf.data.Dataset.range(100)
dec_dataset = tf.data.Dataset.range(0, -100, -1)
zipped = tf.data.Dataset.zip((inc_dataset, dec_dataset))
batched_dataset = zipped.batch(4)
for batch in batched_dataset.take(2):
    report("batch", [arr.numpy() for arr in batch])
report("batch_spec_shape", batched_dataset.element_spec[0].shape)
report("range.dtype", inc_dataset.element_spec.dtype)
dropped = zipped.batch(7, drop_remainder=True)
report("drop_remainder_shape", dropped.element_spec[0].shape)
report("drop_remainder_count", len(list(dropped)))

mapped = tf.data.Dataset.range(5).map(lambda x: x * 2)
report("map", list(mapped.as_numpy_iterator()))
report("repeat_batch", [b.numpy() for b in tf.data.Dataset.range(3).repeat(2).batch(4)])
dataset = tf.data.Dataset.range(100)
dataset = dataset.map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))
padded = dataset.padded_batch(4, padded_shapes=(None,))
for batch in padded.take(2):
    report("padded_batch", batch.numpy())
