"""Better performance with tf.data: prefetch, interleave, parallel map, cache, vectorized map.

Source: tensorflow/docs site/en/guide/data_performance.ipynb
Covers: an ArtificialDataset built with from_generator (output_signature), prefetch(AUTOTUNE),
interleave(num_parallel_calls), map(num_parallel_calls) keeping order, cache() replaying values,
batch-then-map (vectorized) equal to map-then-batch, and options-free determinism of results.
"""
from _target import report, tf


class ArtificialDataset(tf.data.Dataset):
    def _generator(num_samples):
        for sample_idx in range(num_samples):
            yield (sample_idx,)

    def __new__(cls, num_samples=3):
        return tf.data.Dataset.from_generator(cls._generator,
                                              output_signature=tf.TensorSpec(shape=(1,), dtype=tf.int64),
                                              args=(num_samples,))


ds = ArtificialDataset()
report("artificial", [x.numpy() for x in ds])
report("artificial_spec", [ds.element_spec.shape, ds.element_spec.dtype])
report("prefetch", [x.numpy() for x in ArtificialDataset().prefetch(tf.data.AUTOTUNE)])
interleaved = tf.data.Dataset.range(2).interleave(lambda _: ArtificialDataset(), num_parallel_calls=tf.data.AUTOTUNE)
report("parallel_interleave_sorted", sorted(int(x[0]) for x in interleaved))
sequential = tf.data.Dataset.range(2).interleave(lambda _: ArtificialDataset())
report("sequential_interleave", [int(x[0]) for x in sequential])


def mapped_function(s):
    return tf.square(s) + 1


report("parallel_map", [int(x[0]) for x in ArtificialDataset(5).map(mapped_function,
                                                                     num_parallel_calls=tf.data.AUTOTUNE)])
cached = ArtificialDataset(4).map(mapped_function).cache()
report("cache_epochs", [[int(x[0]) for x in cached] for _ in range(2)])

fast_dataset = tf.data.Dataset.range(10)


def increment(x):
    return x + 1


scalar = fast_dataset.map(increment).batch(4)
vectorized = fast_dataset.batch(4).map(increment)
report("map_then_batch", [b.numpy() for b in scalar])
report("batch_then_map", [b.numpy() for b in vectorized])
options = tf.data.Options()
options.deterministic = True
report("with_options", [int(x) for x in tf.data.Dataset.range(3).with_options(options)])
