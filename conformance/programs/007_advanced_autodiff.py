"""Advanced autodiff: stop_recording, reset, stop_gradient, custom_gradient, higher order, Jacobians.

Source: tensorflow/docs site/en/guide/advanced_autodiff.ipynb
Covers: tape.stop_recording, tape.reset, tf.stop_gradient, tf.custom_gradient gradient clipping,
nested tapes for second derivatives, tape.jacobian (scalar and tensor sources), batch_jacobian.
"""
import numpy as np
from _target import report, tf

x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
    x_sq = x * x
    with t.stop_recording():
        y_sq = y * y
    z = x_sq + y_sq
grad = t.gradient(z, {"x": x, "y": y})
report("stop_recording_dx", grad["x"].numpy())
report("stop_recording_dy_none", grad["y"] is None)

reset = True
with tf.GradientTape() as t:
    y_sq = y * y
    if reset:
        t.reset()
    z = x * x + y_sq
grad = t.gradient(z, {"x": x, "y": y})
report("reset_dx", grad["x"].numpy())
report("reset_dy_none", grad["y"] is None)

with tf.GradientTape() as t:
    y_sq = y ** 2
    z = x ** 2 + tf.stop_gradient(y_sq)
grad = t.gradient(z, {"x": x, "y": y})
report("stop_gradient_dx", grad["x"].numpy())
report("stop_gradient_dy_none", grad["y"] is None)


@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)
    return y, backward


v = tf.Variable(2.0)
with tf.GradientTape() as t:
    output = clip_gradients(v * v)
report("custom_gradient", t.gradient(output, v).numpy())

x = tf.Variable(1.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x * x * x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
report("dy_dx", dy_dx.numpy())
report("d2y_dx2", d2y_dx2.numpy())

x = tf.linspace(-10.0, 10.0, 5)
delta = tf.Variable(0.0)
with tf.GradientTape() as tape:
    y = tf.nn.sigmoid(x + delta)
dy_dx = tape.jacobian(y, delta)
report("jacobian_scalar_source.shape", dy_dx.shape)
report("jacobian_scalar_source", dy_dx, tol=1e-6)

rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(7, 5)).astype("float32"))
w = tf.Variable(rng.normal(size=(5, 10)).astype("float32"))
with tf.GradientTape(persistent=True) as tape:
    y = tf.math.tanh(x @ w)
j = tape.jacobian(y, w)
report("jacobian.shape", j.shape)
report("jacobian.sum", float(tf.reduce_sum(j).numpy()), tol=1e-4)
bj = tape.batch_jacobian(y, x)
report("batch_jacobian.shape", bj.shape)
report("batch_jacobian.sum", float(tf.reduce_sum(bj).numpy()), tol=1e-4)
