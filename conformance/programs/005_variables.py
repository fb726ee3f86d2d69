"""Variables: creation, dtype/shape/name, assign, conversion, names and trainability.

Source: tensorflow/docs site/en/guide/variable.ipynb
Covers: tf.Variable of tensors/bools/complex, shape, dtype, .numpy(), tf.convert_to_tensor,
tf.math.argmax, tf.reshape, assign/assign_add/assign_sub, a new variable from another (copy),
names given and duplicated, trainable=False, assign with a wrong shape (error type).
"""
from _target import report, report_error, tf

my_tensor = tf.constant([[1.0, 2.0], [3.0, 4.0]])
my_variable = tf.Variable(my_tensor)
bool_variable = tf.Variable([False, False, False, True])
report("shape", my_variable.shape)
report("dtype", my_variable.dtype)
report("bool.dtype", bool_variable.dtype)
report("numpy", my_variable.numpy())
report("convert_to_tensor", tf.convert_to_tensor(my_variable))
report("argmax", tf.math.argmax(my_variable))
report("reshape", tf.reshape(my_variable, [1, 4]))

a = tf.Variable([2.0, 3.0])
a.assign([1, 2])
report("assigned", a)
report_error("assign_wrong_shape", lambda: a.assign([1.0, 2.0, 3.0]))
b = tf.Variable(a)
a.assign([5, 6])
report("a", a.numpy())
report("b", b.numpy())
report("assign_add", a.assign_add([2, 3]).numpy())
report("assign_sub", a.assign_sub([7, 9]).numpy())

a = tf.Variable(my_tensor, name="Mark")
b = tf.Variable(my_tensor + 1, name="Mark")
report("name", a.name)
report("same_name_values_differ", (a == b).numpy())
step_counter = tf.Variable(1, trainable=False)
report("trainable", step_counter.trainable)
report("counter.dtype", step_counter.dtype)
report("float.trainable", a.trainable)
report("int_var", tf.Variable(3).numpy())
report("var+1", (tf.Variable(2.0) + 1.0).numpy())
