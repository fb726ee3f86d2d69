"""tf.data from Python generators and NumPy arrays.

Source: tensorflow/docs site/en/guide/data.ipynb ("Consuming Python generators",
"Consuming NumPy arrays") and site/en/tutorials/load_data/numpy.ipynb
Covers: Dataset.from_generator with output_types/output_shapes and with output_signature,
repeat + batch over a generator, padded_batch of ragged generator output, from_tensor_slices of
(images, labels) numpy arrays, shuffle/batch of it, and element_spec of each.
"""
import numpy as np
from _target import report, tf


def count(stop):
    i = 0
    while i < stop:
        yield i
        i += 1


ds_counter = tf.data.Dataset.from_generator(count, args=[25], output_types=tf.int32, output_shapes=())
report("counter_batches", [b.numpy() for b in ds_counter.repeat().batch(10).take(3)])


def gen_series():
    rng = np.random.default_rng(0)
    i = 0
    while True:
        size = int(rng.integers(0, 10))
        yield i, rng.normal(size=(size,))
        i += 1


ds_series = tf.data.Dataset.from_generator(
    gen_series, output_signature=(tf.TensorSpec(shape=(), dtype=tf.int32),
                                  tf.TensorSpec(shape=(None,), dtype=tf.float32)))
report("series_spec", [[s.shape, s.dtype] for s in ds_series.element_spec])
ds_series_batch = ds_series.shuffle(1).padded_batch(4)
ids, sequence_batch = next(iter(ds_series_batch))
report("ids", ids)
report("sequence_batch.shape", sequence_batch.shape)
report("sequence_batch.dtype", sequence_batch.dtype)

rng = np.random.default_rng(1)
images = rng.integers(0, 255, size=(12, 28, 28)).astype("uint8")
labels = rng.integers(0, 10, size=(12,)).astype("uint8")
images = images / 255
dataset = tf.data.Dataset.from_tensor_slices((images, labels))
report("numpy_spec", [[s.shape, s.dtype] for s in dataset.element_spec])
batched = dataset.batch(5)
report("numpy_batch_shapes", [[list(x.shape), list(y.shape)] for x, y in batched])
first_x, first_y = next(iter(batched))
report("first_batch_sum", float(tf.reduce_sum(first_x).numpy()), tol=1e-6)
report("first_labels", first_y)
