"""Strings in tf.data mapped through tf.strings ops into ragged and dense numbers.

Source: tensorflow/docs site/en/guide/ragged_tensor.ipynb ("Ragged tensors in tf.data",
"Constructing a ragged tensor") and site/en/guide/data.ipynb ("Consuming text data",
"Applying arbitrary Python logic")
Covers: a Dataset of strings, tf.strings.split of one line and of a batch (RaggedTensor),
tf.strings.to_number of split tokens, ragged row lengths and to_list, reduce over ragged rows,
a Dataset built from a RaggedTensor, batching and unbatching ragged elements, ragged_batch of
variable-length split results, to_tensor padding.
"""
from _target import report, tf

lines = tf.data.Dataset.from_tensor_slices(["1 2 3", "4 5", "6", "7 8 9 10"])
report("lines.spec.dtype", lines.element_spec.dtype)
report("lines", [l.numpy() for l in lines])

words = lines.map(lambda line: tf.strings.split(line))
report("words", [w.numpy() for w in words])
numbers = words.map(lambda w: tf.strings.to_number(w, out_type=tf.int32))
report("numbers", [n.numpy() for n in numbers])
report("numbers.dtype", numbers.element_spec.dtype)
sums = lines.map(lambda line: tf.reduce_sum(tf.strings.to_number(tf.strings.split(line))))
report("sums", [s.numpy() for s in sums])
report("sums.dtype", sums.element_spec.dtype)

split = tf.strings.split(tf.constant(["1.5 2", "3", "", "4 5 6"]))
report("batch_split", split.to_list())
report("batch_split.row_lengths", split.row_lengths().numpy())
nums = tf.strings.to_number(split)
report("ragged_to_number", nums.to_list())
report("ragged_to_number.dtype", nums.dtype)
report("ragged_reduce_sum", tf.reduce_sum(nums, axis=1).numpy())
report("ragged_reduce_max", tf.reduce_max(nums, axis=1).numpy())
report("ragged_to_tensor", nums.to_tensor().numpy())
report("ragged_shape", nums.shape)

digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
dataset = tf.data.Dataset.from_tensor_slices(digits)
for element in dataset:
    report("ragged_slice", element.numpy())
batched = dataset.batch(2)
for batch in batched:
    report("ragged_batch", batch.to_list())
unbatched = batched.unbatch()
report("unbatched", [e.numpy() for e in unbatched])
ragged_from_dense = tf.data.Dataset.from_tensor_slices(tf.constant(["a b", "c d e", "f"]))
ragged_from_dense = ragged_from_dense.map(tf.strings.split).ragged_batch(3)
rb = next(iter(ragged_from_dense))
report("ragged_words_batch", rb.to_list())
report("ragged_words.flat", rb.flat_values.numpy())
report("ragged_words.padded", rb.to_tensor(default_value="<pad>").numpy())
