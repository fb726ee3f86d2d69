"""tf.data batching, padded batches, repeat/batch order, and windows through flat_map.

Source: tensorflow/docs site/en/guide/data.ipynb ("Batching dataset elements", "Processing
multiple epochs", "Time series windowing")
Covers: batch of zipped ranges, batch shapes with and without drop_remainder, padded_batch with
padded_shapes and padding_values, repeat before and after batch, window with shift/stride/
drop_remainder, flat_map of windows to batches, a sliding window helper, splitting features and
labels with map.
"""
from _target import report, tf

inc_dataset = tf.data.Dataset.range(20)
dec_dataset = tf.data.Dataset.range(0, -20, -1)
dataset = tf.data.Dataset.zip((inc_dataset, dec_dataset))
batched_dataset = dataset.batch(6)
for batch in batched_dataset.take(2):
    report("batch", [arr.numpy() for arr in batch])
report("batch.spec", [s.shape for s in batched_dataset.element_spec])
report("last_batch", [a.numpy() for a in list(batched_dataset)[-1]])
batched_dataset = dataset.batch(6, drop_remainder=True)
report("drop.spec", [s.shape for s in batched_dataset.element_spec])
report("drop.count", len(list(batched_dataset)))

dataset = tf.data.Dataset.range(8)
dataset = dataset.map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))
dataset = dataset.padded_batch(3, padded_shapes=(None,))
for batch in dataset:
    report("padded", batch.numpy())
report("padded.spec", dataset.element_spec.shape)
ds = tf.data.Dataset.range(1, 5).map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))
fixed = ds.padded_batch(2, padded_shapes=[6], padding_values=tf.constant(-1, tf.int64))
report("padded_fixed", [b.numpy() for b in fixed])
report("padded_fixed.spec", fixed.element_spec.shape)

titanic_lines = tf.data.Dataset.range(10)
report("repeat_then_batch", [b.numpy() for b in titanic_lines.repeat(3).batch(4)])
report("batch_then_repeat", [b.numpy() for b in titanic_lines.batch(4).repeat(3)])
report("batch_size_sequence", [int(b.shape[0]) for b in titanic_lines.batch(4).repeat(2)])

range_ds = tf.data.Dataset.range(30)
batches = range_ds.batch(10, drop_remainder=True)
for batch in batches.take(3):
    report("range_batch", batch.numpy())


def dense_1_step(batch):
    return batch[:-1], batch[1:]


predict_dense_1_step = batches.map(dense_1_step)
for features, label in predict_dense_1_step.take(2):
    report("one_step", [features.numpy(), label.numpy()])

window_size = 5
windows = range_ds.window(window_size, shift=1)
for sub_ds in windows.take(3):
    report("window_elems", [e.numpy() for e in sub_ds])
for x in windows.flat_map(lambda x: x).take(12):
    pass
report("flat_map_last", x.numpy())


def sub_to_batch(sub):
    return sub.batch(window_size, drop_remainder=True)


for example in windows.flat_map(sub_to_batch).take(3):
    report("window_batch", example.numpy())


def make_window_dataset(ds, window_size=5, shift=1, stride=1):
    windows = ds.window(window_size, shift=shift, stride=stride)

    def sub_to_batch(sub):
        return sub.batch(window_size, drop_remainder=True)

    windows = windows.flat_map(sub_to_batch)
    return windows


ds = make_window_dataset(range_ds, window_size=6, shift=5, stride=3)
for example in ds.take(4):
    report("strided_window", example.numpy())
report("strided_count", len(list(ds)))
dense_labels_ds = ds.map(dense_1_step)
for inputs, labels in dense_labels_ds.take(2):
    report("dense_labels", [inputs.numpy(), labels.numpy()])
