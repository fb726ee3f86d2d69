"""Advanced automatic differentiation: controlling recording, custom gradients, higher orders, Jacobians.

Source: tensorflow/docs site/en/guide/advanced_autodiff.ipynb
Covers: tape.stop_recording, tape.reset, tf.stop_gradient, tf.custom_gradient (clip_gradients,
log1pexp numerical stability), tf.GradientTape nested for second derivatives, an input-gradient
regularization, tape.jacobian of a vector and of a layer's kernel (shapes), a Hessian via nested
jacobian, tape.batch_jacobian shapes and equality with the diagonal of the full jacobian.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
    x_sq = x * x
    with t.stop_recording():
        y_sq = y * y
    z = x_sq + y_sq
grad = t.gradient(z, {"x": x, "y": y})
report("stop_recording.dz/dx", grad["x"])
report("stop_recording.dz/dy_is_none", grad["y"] is None)

reset = True
with tf.GradientTape() as t:
    y_sq = y * y
    if reset:
        t.reset()
    z = x * x + y_sq
grad = t.gradient(z, {"x": x, "y": y})
report("reset.dz/dx", grad["x"])
report("reset.dz/dy_is_none", grad["y"] is None)

with tf.GradientTape() as t:
    z = x * x + tf.stop_gradient(y * y)
grad = t.gradient(z, {"x": x, "y": y})
report("stop_gradient.dz/dx", grad["x"])
report("stop_gradient.dz/dy_is_none", grad["y"] is None)


@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)
    return y, backward


v = tf.Variable(2.0)
with tf.GradientTape() as t:
    output = clip_gradients(v * v)
report("clip_gradients", t.gradient(output, v))


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


for value in [0.0, 100.0]:
    xv = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(xv)
        yv = log1pexp(xv)
    report("log1pexp(%g).grad" % value, tape.gradient(yv, xv), tol=1e-6)

x = tf.Variable(1.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x * x * x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
report("dy_dx", dy_dx.numpy())
report("d2y_dx2", d2y_dx2.numpy())

x = tf.random.normal([7, 5])
x = tf.constant(np.random.default_rng(80).normal(size=(7, 5)).astype("float32"))
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
layer.build(x.shape)
layer.set_weights([np.random.default_rng(1).normal(size=(5, 10)).astype("float32") * 0.5,
                   np.zeros(10, "float32") + 0.1])
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = layer(x)
        out = tf.reduce_sum(layer(x) ** 2)
    g1 = t1.gradient(out, x)
    g1_mag = tf.norm(g1)
dg1_mag = t2.gradient(g1_mag, layer.trainable_weights)
report("g1.shape", g1.shape)
report("dg1_mag_shapes", [d.shape for d in dg1_mag])
report("dg1_mag_kernel_sum", float(tf.reduce_sum(dg1_mag[0])), tol=1e-3)

x = tf.linspace(-10.0, 10.0, 200 + 1)
delta = tf.Variable(0.0)
with tf.GradientTape() as tape:
    y = tf.nn.sigmoid(x + delta)
dy_dx = tape.jacobian(y, delta)
report("scalar_jacobian.shape", dy_dx.shape)
report("y.shape", y.shape)

x = tf.constant(np.random.default_rng(2).normal(size=(7, 5)).astype("float32"))
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
with tf.GradientTape(persistent=True) as tape:
    y = layer(x)
report("layer.kernel.shape", layer.kernel.shape)
j = tape.jacobian(y, layer.kernel)
report("jacobian.shape", j.shape)
g = tape.gradient(y, layer.kernel)
j_sum = tf.reduce_sum(j, axis=[0, 1])
report("jacobian_sum_matches_gradient", float(tf.reduce_max(abs(j_sum - g)).numpy()) < 1e-4)
del tape

x = tf.constant(np.random.default_rng(3).normal(size=(7, 5)).astype("float32"))
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.relu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.relu)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        x = layer1(x)
        x = layer2(x)
        loss = tf.reduce_mean(x ** 2)
    g = t1.gradient(loss, layer1.kernel)
h = t2.jacobian(g, layer1.kernel)
report("hessian.shape", h.shape)
n_params = tf.reduce_prod(layer1.kernel.shape)
report("n_params", n_params)
h_mat = tf.reshape(h, [n_params, n_params])
report("h_mat.shape", h_mat.shape)

x = tf.constant(np.random.default_rng(4).normal(size=(7, 5)).astype("float32"))
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
    tape.watch(x)
    y = layer1(x)
    y = layer2(y)
report("batch_y.shape", y.shape)
j = tape.jacobian(y, x)
report("full_jacobian.shape", j.shape)
report("off_diagonal_max", float(tf.reduce_max(abs(j[2, :, 3, :]))))
j_sum = tf.reduce_sum(j, axis=2)
report("j_sum.shape", j_sum.shape)
j_select = tf.einsum("bxby->bxy", j)
report("j_select.shape", j_select.shape)
jb = tape.batch_jacobian(y, x)
report("batch_jacobian.shape", jb.shape)
report("batch_jacobian_matches", float(tf.reduce_max(abs(jb - j_sum))) < 1e-5)
