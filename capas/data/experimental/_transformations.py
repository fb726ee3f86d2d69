"""The `tf.data.experimental` transformation functions: each returns a function for
`Dataset.apply` that calls the Dataset method of the same meaning (TF 1 spellings that
TF 2 code still uses)."""

import capas.data.dataset as _ds


def _method(name, *args, **kwargs):
    def apply(dataset):
        return getattr(dataset, name)(*args, **kwargs)

    return apply


def ignore_errors(log_warning=False):
    """`dataset.apply(ignore_errors())` is `dataset.ignore_errors()`."""
    return _method("ignore_errors", log_warning)


def unbatch():
    """`dataset.apply(unbatch())` is `dataset.unbatch()`."""
    return _method("unbatch")


def enumerate_dataset(start=0):
    """`dataset.apply(enumerate_dataset(k))` is `dataset.enumerate(k)`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(5, 7).apply(tf.data.experimental.enumerate_dataset())
    >>> [(int(i), int(x)) for i, x in ds]
    [(0, 5), (1, 6)]
    """
    return _method("enumerate", start)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype="int64"):
    """`dataset.apply(dense_to_ragged_batch(n))` is `dataset.ragged_batch(n)`.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.range(x))
    >>> [b.to_list() for b in ds.apply(tf.data.experimental.dense_to_ragged_batch(3))]
    [[[0], [0, 1], [0, 1, 2]]]
    """
    return _method("ragged_batch", batch_size, drop_remainder, row_splits_dtype)


def take_while(predicate):
    """`dataset.apply(take_while(p))` is `dataset.take_while(p)`."""
    return _method("take_while", predicate)


def scan(initial_state, scan_func):
    """`dataset.apply(scan(s, f))` is `dataset.scan(s, f)`."""
    return _method("scan", initial_state, scan_func)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """`dataset.apply(group_by_window(...))` is `dataset.group_by_window(...)`."""
    return _method("group_by_window", key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    """`dataset.apply(bucket_by_sequence_length(...))` is the Dataset method of that name."""
    return _method(
        "bucket_by_sequence_length",
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes,
        padding_values,
        pad_to_bucket_boundary,
        no_padding,
        drop_remainder,
    )


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """`dataset.apply(rejection_resample(...))` is `dataset.rejection_resample(...)`."""
    return _method("rejection_resample", class_func, target_dist, initial_dist, seed)


def snapshot(path, compression="AUTO", reader_func=None, shard_func=None):
    """`dataset.apply(snapshot(path))` is `dataset.snapshot(path)`."""
    return _method("snapshot", path, compression, reader_func, shard_func)


def get_single_element(dataset):
    """`dataset.get_single_element()`."""
    return dataset.get_single_element()


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """`tf.data.Dataset.sample_from_datasets`."""
    return _ds.Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """`tf.data.Dataset.choose_from_datasets`."""
    return _ds.Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)
