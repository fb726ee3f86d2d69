"""Gradients with tf.GradientTape: scalars, dicts of variables, models, watch, persistence, None.

Source: tensorflow/docs site/en/guide/autodiff.ipynb
Covers: dy/dx of x**2, gradients w.r.t. w and b and a dict of sources, a Dense layer's
trainable_variables, watch on constants, watch_accessed_variables=False, persistent tapes,
watched_variables, gradients of non-scalar targets, control flow, unconnected sources (None and
UnconnectedGradients.ZERO), integer sources, and a variable replaced by a tensor.
"""
import numpy as np
from _target import layers, report, tf

x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x ** 2
dy_dx = tape.gradient(y, x)
report("dy_dx", dy_dx.numpy())

rng = np.random.default_rng(0)
w = tf.Variable(rng.normal(size=(3, 2)).astype("float32"), name="w")
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
x = [[1.0, 2.0, 3.0]]
with tf.GradientTape(persistent=True) as tape:
    y = x @ w + b
    loss = tf.reduce_mean(y ** 2)
dl_dw, dl_db = tape.gradient(loss, [w, b])
report("dl_dw.shape", dl_dw.shape)
report("dl_dw", dl_dw, tol=1e-5)
report("dl_db", dl_db, tol=1e-5)
grads = tape.gradient(loss, {"w": w, "b": b})
report("dict_grad_db", grads["b"], tol=1e-5)

layer = layers.Dense(2, activation="relu")
x = tf.constant([[1.0, 2.0, 3.0]])
layer.build((None, 3))
layer.set_weights([rng.normal(size=(3, 2)).astype("float32"), np.zeros(2, "float32")])
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_mean(y ** 2)
grad = tape.gradient(loss, layer.trainable_variables)
for var, g in zip(layer.trainable_variables, grad):
    report("layer_grad_shape", [var.name, list(g.shape)])
    report("layer_grad", g, tol=1e-5)

x0 = tf.Variable(3.0, name="x0")
x1 = tf.Variable(3.0, name="x1", trainable=False)
x2 = tf.Variable(2.0, name="x2") + 1.0
x3 = tf.constant(3.0, name="x3")
with tf.GradientTape() as tape:
    y = (x0 ** 2) + (x1 ** 2) + (x2 ** 2)
grad = tape.gradient(y, [x0, x1, x2, x3])
report("grads_some_none", [None if g is None else g.numpy() for g in grad])
report("watched_variables", [var.name for var in tape.watched_variables()])

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x ** 2
report("watched_constant", tape.gradient(y, x).numpy())

x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x1)
    y0 = tf.math.sin(x0)
    y1 = tf.nn.softplus(x1)
    y = y0 + y1
    ys = tf.reduce_sum(y)
grad = tape.gradient(ys, {"x0": x0, "x1": x1})
report("unwatched_x0_is_none", grad["x0"] is None)
report("watched_x1", grad["x1"].numpy(), tol=1e-6)

x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = x * x
    z = y * y
report("persistent_dz_dx", tape.gradient(z, x).numpy())
report("persistent_dy_dx", tape.gradient(y, x).numpy())
del tape

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y0 = x ** 2
    y1 = 1 / x
report("list_target", tape.gradient({"y0": y0, "y1": y1}, x).numpy())
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = x * [3.0, 4.0]
report("vector_target", tape.gradient(y, x).numpy())

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
report("control_flow", [dv0.numpy(), dv1])
report("control_flow_x_none", tape.gradient(result, x) is None)

x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as tape:
    z = y * y
report("unconnected", tape.gradient(z, x))
x = tf.Variable([2.0, 2.0])
y = tf.Variable(3.0)
with tf.GradientTape() as tape:
    z = y ** 2
report("unconnected_zero", tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))

x = tf.Variable(2.0)
for epoch in range(2):
    with tf.GradientTape() as tape:
        y = x + 1
    report("replaced_variable", [type(x).__name__.endswith("Variable"), tape.gradient(y, x) is None])
    x = x + 1
