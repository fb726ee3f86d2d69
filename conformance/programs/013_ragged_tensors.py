"""Ragged tensors: construction, ops, conversion and row partitions.

Source: tensorflow/docs site/en/guide/ragged_tensor.ipynb
Covers: tf.ragged.constant, to_list, shape with None, tf.add / reduce_mean / concat on ragged,
map_flat_values, row_lengths, from_row_splits / from_value_rowids / from_row_lengths,
to_tensor padding, RaggedTensor.from_tensor, indexing rows, bounding_shape.
"""
from _target import report, tf

digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
report("digits", digits)
report("digits.shape", digits.shape)
report("add", tf.add(digits, 3))
report("reduce_mean", tf.reduce_mean(digits, axis=1))
report("concat", tf.concat([digits, [[5, 3]]], axis=0))
report("map_flat_values", tf.ragged.map_flat_values(lambda x: x * 2, digits))
report("row_lengths", digits.row_lengths())
report("row0", digits[0])
report("rows1to3", digits[1:3])
report("words_lengths", words.row_lengths())
report("from_value_rowids", tf.RaggedTensor.from_value_rowids(
    values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 3]))
report("from_row_lengths", tf.RaggedTensor.from_row_lengths(values=[3, 1, 4, 1, 5, 9, 2], row_lengths=[4, 0, 2, 1]))
rt = tf.RaggedTensor.from_row_splits(values=[3, 1, 4, 1, 5, 9, 2], row_splits=[0, 4, 4, 6, 7])
report("from_row_splits", rt)
report("row_splits", rt.row_splits)
report("values", rt.values)
report("to_tensor", rt.to_tensor())
report("to_tensor_default", rt.to_tensor(default_value=-1))
report("bounding_shape", rt.bounding_shape())
report("from_tensor", tf.RaggedTensor.from_tensor(tf.constant([[1, 2, 0], [3, 0, 0]]), padding=0))
report("nrows", int(rt.nrows()))
