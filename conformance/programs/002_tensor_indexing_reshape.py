"""Tensors: indexing, reshaping, dtype casts and broadcasting.

Source: tensorflow/docs site/en/guide/tensor.ipynb ("Indexing", "Manipulating shapes",
"More on DTypes", "Broadcasting")
Covers: single/multi-axis indexing with negative steps, tf.reshape (incl. -1), tf.cast chains,
broadcasting of operands and tf.broadcast_to, tf.convert_to_tensor of nested lists.
"""
from _target import report, tf

rank_1_tensor = tf.constant([0, 1, 1, 2, 3, 5, 8, 13, 21, 34])
report("first", rank_1_tensor[0].numpy())
report("last", rank_1_tensor[-1].numpy())
report("everything", rank_1_tensor[:].numpy())
report("before4", rank_1_tensor[:4].numpy())
report("from4", rank_1_tensor[4:].numpy())
report("2to7", rank_1_tensor[2:7].numpy())
report("every_other", rank_1_tensor[::2].numpy())
report("reversed", rank_1_tensor[::-1].numpy())

rank_2_tensor = tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.float16)
report("r2[1,1]", rank_2_tensor[1, 1].numpy())
report("second_row", rank_2_tensor[1, :].numpy())
report("second_column", rank_2_tensor[:, 1].numpy())
report("last_row", rank_2_tensor[-1, :].numpy())
report("first_item_last_column", rank_2_tensor[0, -1].numpy())
report("skip_first_row", rank_2_tensor[1:, :].numpy())

rank_3_tensor = tf.reshape(tf.range(30), [3, 2, 5])
report("r3[:,:,4]", rank_3_tensor[:, :, 4])

x = tf.constant([[1], [2], [3]])
report("x.shape", x.shape)
report("x.shape.as_list", x.shape.as_list())
reshaped = tf.reshape(x, [1, 3])
report("reshaped.shape", reshaped.shape)
report("flat", tf.reshape(rank_3_tensor, [-1]))
report("reshape[3*2,5]", tf.reshape(rank_3_tensor, [3 * 2, 5]))
report("reshape[3,-1]", tf.reshape(rank_3_tensor, [3, -1]))

the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)
report("u8", the_u8_tensor)
report("u8.dtype", the_u8_tensor.dtype)

x = tf.constant([1, 2, 3])
y = tf.constant(2)
z = tf.constant([2, 2, 2])
report("multiply(x,2)", tf.multiply(x, 2))
report("x*y", x * y)
report("x*z", x * z)
x = tf.reshape(x, [3, 1])
y = tf.range(1, 5)
report("outer", tf.multiply(x, y))
report("broadcast_to", tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3]))
