"""Gradients: what the tape watches, intermediate results, non-scalar targets, control flow.

Source: tensorflow/docs site/en/guide/autodiff.ipynb ("Controlling what the tape watches",
"Intermediate results", "Gradients of non-scalar targets", "Control flow")
Covers: trainable vs non-trainable variables and constants, watch of a constant,
watch_accessed_variables=False, watched_variables, gradient w.r.t. an intermediate, persistent
tapes, sum of gradients of several targets and of a vector target, an elementwise derivative,
a Python if inside the tape.
"""
from _target import report, tf

x0 = tf.Variable(3.0, name="x0")
x1 = tf.Variable(3.0, name="x1", trainable=False)
x2 = tf.Variable(2.0, name="x2") + 1.0
x3 = tf.constant(3.0, name="x3")
with tf.GradientTape() as tape:
    y = (x0 ** 2) + (x1 ** 2) + (x2 ** 2)
grad = tape.gradient(y, [x0, x1, x2, x3])
report("grads_none", [g is None for g in grad])
report("grad_x0", grad[0].numpy())
report("watched", [var.name for var in tape.watched_variables()])

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x ** 2
report("watch_const", tape.gradient(y, x).numpy())

x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x1)
    y0 = tf.math.sin(x0)
    y1 = tf.nn.softplus(x1)
    y = y0 + y1
    ys = tf.reduce_sum(y)
grad = tape.gradient(ys, {"x0": x0, "x1": x1})
report("dy/dx0_none", grad["x0"] is None)
report("dy/dx1", grad["x1"].numpy(), tol=1e-6)

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x * x
    z = y * y
report("dz_dy", tape.gradient(z, y).numpy())

x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = x * x
    z = y * y
report("persist_dz_dx", tape.gradient(z, x).numpy())
report("persist_dy_dx", tape.gradient(y, x).numpy())
del tape

x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    y0 = x ** 2
    y1 = 1 / x
report("dy0", tape.gradient(y0, x).numpy())
report("dy1", tape.gradient(y1, x).numpy())
with tf.GradientTape() as tape:
    y0 = x ** 2
    y1 = 1 / x
report("sum_targets", tape.gradient({"y0": y0, "y1": y1}, x).numpy())
with tf.GradientTape() as tape:
    y = x * [3.0, 4.0]
report("vector_target", tape.gradient(y, x).numpy())

x = tf.linspace(-10.0, 10.0, 20 + 1)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.sigmoid(x)
dy_dx = tape.gradient(y, x)
report("sigmoid_grad", dy_dx.numpy(), tol=1e-6)
report("sigmoid_grad.shape", dy_dx.shape)

x = tf.constant(1.0)
v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    if x > 0.0:
        result = v0
    else:
        result = v1 ** 2
dv0, dv1 = tape.gradient(result, [v0, v1])
report("cf_dv0", dv0.numpy())
report("cf_dv1_none", dv1 is None)
report("cf_dx_none", tape.gradient(result, x) is None)
