"""Variables: creating, assigning, naming, trainability, copying and shapes.

Source: tensorflow/docs site/en/guide/variable.ipynb ("Create a variable", "Lifecycles, naming,
and watching", "Placing variables and tensors")
Covers: tf.Variable from a tensor, bool and complex variables, shape/dtype/numpy, argmax and
reshape of a variable, assign/assign_add/assign_sub, a failing assign of the wrong shape, a
Variable made from another variable (no shared memory), names shared by two variables,
trainable=False, shapes after assignment.
"""
from _target import report, report_error, tf

my_tensor = tf.constant([[1.0, 2.0], [3.0, 4.0]])
my_variable = tf.Variable(my_tensor)
bool_variable = tf.Variable([False, False, False, True])
complex_variable = tf.Variable([5 + 4j, 6 + 1j])
report("shape", my_variable.shape)
report("dtype", my_variable.dtype)
report("numpy", my_variable.numpy())
report("bool.dtype", bool_variable.dtype)
report("complex.dtype", complex_variable.dtype)
report("convert", tf.convert_to_tensor(my_variable).numpy())
report("argmax", tf.math.argmax(my_variable).numpy())
report("reshape", tf.reshape(my_variable, [1, 4]).numpy())

a = tf.Variable([2.0, 3.0])
a.assign([1, 2])
report("assign", a.numpy())
report("assign.dtype", a.dtype)
report_error("assign_wrong_shape", lambda: a.assign([1.0, 2.0, 3.0]))

a = tf.Variable([2.0, 3.0])
b = tf.Variable(a)
a.assign([5, 6])
report("a_after", a.numpy())
report("b_copy", b.numpy())
report("assign_add", a.assign_add([2, 3]).numpy())
report("assign_sub", a.assign_sub([7, 9]).numpy())
report("a_final", a.numpy())

a = tf.Variable(my_tensor, name="Mark")
b = tf.Variable(my_tensor + 1, name="Mark")
report("names", [a.name, b.name])
report("same_name_elementwise", (a == b).numpy())
report("trainable_default", a.trainable)
step_counter = tf.Variable(1, trainable=False)
report("step.trainable", step_counter.trainable)
report("step.dtype", step_counter.dtype)
step_counter.assign_add(1)
report("step", step_counter.numpy())

with tf.device("CPU:0"):
    a = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    c = tf.matmul(a, b)
report("matmul", c.numpy())
report("var_shape_rank", [a.shape.rank, list(a.shape)])
report("var_plus_tensor", (a + 1.0).numpy())
report("var_plus_tensor.type_is_variable", isinstance(a + 1.0, tf.Variable))
