"""The autodiff guide's GradientTape cases, written once for TensorFlow and capas.

Each case takes the `tf` module (real TensorFlow in `record.py`, capas in
`tests/test_tape_tf.py`) and returns plain data (tensors through `enc`).
The cases follow https://www.tensorflow.org/guide/autodiff and
https://www.tensorflow.org/guide/advanced_autodiff, with fixed values in place
of random ones.
"""

import numpy as np

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def enc(x):
    """Tensors become {'shape', 'value'}; None stays None; containers recurse."""
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, dict):
        return {str(k): enc(v) for k, v in sorted(x.items())}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    value = np.asarray(x.numpy(), dtype=np.float64)
    return {"shape": list(value.shape), "value": value.tolist()}


def _values(shape, scale=0.1, shift=0.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n, dtype=np.float32) * 1.7 + shift) * scale * 10).reshape(shape).astype("float32")


def _dense(tf, units, in_dim, activation, seed):
    layer = tf.keras.layers.Dense(units, activation=activation)
    layer.build((None, in_dim))
    layer.kernel.assign(_values((in_dim, units), scale=0.05, shift=seed))
    layer.bias.assign(_values((units,), scale=0.01, shift=seed + 1))
    return layer


@case
def variable_square(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x**2
    return {"dy_dx": enc(tape.gradient(y, x))}


@case
def list_and_dict_sources(tf):
    w = tf.Variable(_values((3, 2)), name="w")
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.matmul(x, w) + b
        loss = tf.reduce_mean(y**2)
    dl_dw, dl_db = tape.gradient(loss, [w, b])
    grad = tape.gradient(loss, {"w": w, "b": b})
    return {"dl_dw": enc(dl_dw), "dl_db": enc(dl_db), "dict": enc(grad)}


@case
def layer_trainable_variables(tf):
    layer = _dense(tf, 2, 3, "relu", 0.3)
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(y**2)
    grad = tape.gradient(loss, layer.trainable_variables)
    return {"grads": enc(grad), "n_watched": len(tape.watched_variables())}


@case
def what_is_watched(tf):
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)
    x2 = tf.Variable(2.0, name="x2") + 1.0
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:
        y = (x0**2) + (x1**2) + (x2**2)
    grad = tape.gradient(y, [x0, x1, x2, x3])
    return {"grads": enc(grad), "watched": [v.name for v in tape.watched_variables()]}


@case
def watch_constant(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x**2
    return {"dy_dx": enc(tape.gradient(y, x))}


@case
def watch_accessed_variables_false(tf):
    x0 = tf.Variable(0.0, name="x0")
    x1 = tf.Variable(10.0, name="x1")
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.softplus(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    grad = tape.gradient(ys, {"x0": x0, "x1": x1})
    return {"grads": enc(grad), "watched": [v.name for v in tape.watched_variables()]}


@case
def intermediate_result(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return {"dz_dy": enc(tape.gradient(z, y))}


@case
def persistent_tape(tf):
    x = tf.constant([1.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return {"dz_dx": enc(tape.gradient(z, x)), "dy_dx": enc(tape.gradient(y, x))}


@case
def non_scalar_targets(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = x**2
        y1 = 1 / x
    out = {"dy0": enc(tape.gradient(y0, x)), "dy1": enc(tape.gradient(y1, x))}
    with tf.GradientTape() as tape:
        y0 = x**2
        y1 = 1 / x
    out["dict_target"] = enc(tape.gradient({"y0": y0, "y1": y1}, x))
    with tf.GradientTape() as tape:
        y = x * tf.constant([3.0, 4.0])
    out["vector_target"] = enc(tape.gradient(y, x))
    with tf.GradientTape() as tape:
        y0 = x**2
        y1 = x**3
    out["list_target"] = enc(tape.gradient([y0, y1], x))
    return out


@case
def elementwise_sigmoid(tf):
    x = tf.linspace(-10.0, 10.0, 21)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.sigmoid(x)
    return {"dy_dx": enc(tape.gradient(y, x))}


@case
def control_flow(tf):
    x = tf.constant(1.0)
    v0 = tf.Variable(2.0)
    v1 = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        if x > 0.0:
            result = v0
        else:
            result = v1**2
    dv0, dv1 = tape.gradient(result, [v0, v1])
    return {"dv0": enc(dv0), "dv1": enc(dv1), "dx": enc(tape.gradient(result, x))}


@case
def unconnected_variable(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y * y
    return {"dz_dx": enc(tape.gradient(z, x))}


@case
def variable_replaced_by_tensor(tf):
    x = tf.Variable(2.0)
    out = []
    for _ in range(2):
        with tf.GradientTape() as tape:
            y = x + 1
        out.append({"is_variable": isinstance(x, tf.Variable), "grad": enc(tape.gradient(y, x))})
        x = x + 1
    return {"epochs": out}


@case
def numpy_step_breaks_chain(tf):
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape() as tape:
        x2 = x**2
        y = np.mean(x2.numpy(), axis=0)
        y = tf.reduce_mean(y, axis=0)
    return {"dy_dx": enc(tape.gradient(y, x))}


@case
def watch_int_tensor(tf):
    x = tf.constant(10)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return {"dy_dx": enc(tape.gradient(y, x))}


@case
def int_and_float_sources(tf):
    xf = tf.Variable(2.0)
    xi = tf.Variable(3)
    with tf.GradientTape() as tape:
        y = xf * tf.cast(xi, tf.float32)
    return {"grads": enc(tape.gradient(y, [xf, xi]))}


@case
def assign_add_is_not_differentiable(tf):
    x0 = tf.Variable(3.0)
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)
        y = x1**2
    return {"dy_dx0": enc(tape.gradient(y, x0))}


@case
def unconnected_gradients_zero(tf):
    x = tf.Variable([2.0, 2.0])
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y**2
    return {
        "zero": enc(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)),
    }


@case
def stop_recording(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        x_sq = x * x
        with t.stop_recording():
            y_sq = y * y
        z = x_sq + y_sq
    return {"grads": enc(t.gradient(z, {"x": x, "y": y}))}


@case
def stop_recording_pauses_only_its_own_tape(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            a = x * x
            with inner.stop_recording():
                b = x * x * x
            z = a + b
        inner_grad = inner.gradient(z, x)
    return {"inner": enc(inner_grad), "outer": enc(outer.gradient(z, x))}


@case
def stop_recording_outer_tape_inner_records(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            with outer.stop_recording():
                b = x * x * x
            c = b + x
        inner_grad = inner.gradient(c, x)
    return {"inner": enc(inner_grad), "outer_b": enc(outer.gradient(b, x)), "outer_c": enc(outer.gradient(c, x))}


@case
def stop_recording_constant_watched(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            with inner.stop_recording():
                y = x * x
            z = y * x
        inner_grad = inner.gradient(z, x)
    return {"inner": enc(inner_grad), "outer": enc(outer.gradient(z, x))}


@case
def reset(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y_sq = y * y
        t.reset()
        z = x * x + y_sq
    return {"grads": enc(t.gradient(z, {"x": x, "y": y}))}


@case
def stop_gradient(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y_sq = y**2
        z = x**2 + tf.stop_gradient(y_sq)
    return {"grads": enc(t.gradient(z, {"x": x, "y": y}))}


@case
def custom_gradient_clip(tf):
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)

        return y, backward

    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        output = clip_gradients(v * v)
    return {"grad": enc(t.gradient(output, v))}


@case
def multiple_tapes(tf):
    x0 = tf.constant(0.0)
    x1 = tf.constant(0.0)
    with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.sigmoid(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    return {
        "d0": enc(tape0.gradient(ys, x0)),
        "d1": enc(tape1.gradient(ys, x1)),
    }


@case
def watch_is_scoped_to_its_tape(tf):
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            y = x * x * x
        inner_grad = inner.gradient(y, x)
    with tf.GradientTape() as later:
        z = x * x
    return {
        "inner": enc(inner_grad),
        "outer": enc(outer.gradient(y, x)),
        "later": enc(later.gradient(z, x)),
    }


@case
def second_derivative(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    d2y_dx2 = t2.gradient(dy_dx, x)
    return {"dy_dx": enc(dy_dx), "d2y_dx2": enc(d2y_dx2)}


@case
def second_derivative_of_watched_constant(tf):
    x = tf.constant(1.5)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.math.sin(x) * x
        dy_dx = t1.gradient(y, x)
    return {"dy_dx": enc(dy_dx), "d2y_dx2": enc(t2.gradient(dy_dx, x))}


@case
def jacobian_scalar_source(tf):
    x = tf.linspace(-10.0, 10.0, 11)
    delta = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.nn.sigmoid(x + delta)
    return {"j": enc(tape.jacobian(y, delta))}


@case
def jacobian_layer_kernel(tf):
    x = tf.constant(_values((7, 5), scale=0.1))
    layer = _dense(tf, 10, 5, "relu", 0.7)
    with tf.GradientTape(persistent=True) as tape:
        y = layer(x)
    j = tape.jacobian(y, layer.kernel)
    g = tape.gradient(y, layer.kernel)
    return {
        "shape": list(j.shape),
        "j_sum": enc(tf.reduce_sum(j, axis=[0, 1])),
        "j_row": enc(j[1, 2]),
        "g": enc(g),
    }


@case
def hessian(tf):
    x = tf.constant(_values((7, 5), scale=0.1, shift=0.2))
    layer1 = _dense(tf, 8, 5, "relu", 1.1)
    layer2 = _dense(tf, 2, 8, None, 2.3)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            h = layer1(x)
            h = layer2(h)
            loss = tf.reduce_mean(h**2)
        g = t1.gradient(loss, layer1.kernel)
    hess = t2.jacobian(g, layer1.kernel)
    return {"g": enc(g), "h": enc(hess)}


@case
def batch_jacobian(tf):
    x = tf.constant(_values((7, 5), scale=0.1, shift=0.4))
    layer1 = _dense(tf, 8, 5, "elu", 0.5)
    layer2 = _dense(tf, 6, 8, "elu", 0.9)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = layer1(x)
        y = layer2(y)
    j = tape.jacobian(y, x)
    jb = tape.batch_jacobian(y, x)
    jb_no_pfor = tape.batch_jacobian(y, x, experimental_use_pfor=False)
    return {"j_shape": list(j.shape), "j_2_3": enc(j[2, :, 2, :]), "jb": enc(jb), "jb_no_pfor": enc(jb_no_pfor)}


@case
def batch_jacobian_unconnected(tf):
    x = tf.constant(_values((4, 3), scale=0.1))
    w = tf.Variable(_values((3, 2), scale=0.1, shift=0.5))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.math.tanh(x @ w)
    return {"unwatched_source": enc(tape.batch_jacobian(y, x))}


@case
def jacobian_unconnected(tf):
    x = tf.Variable([1.0, 2.0])
    u = tf.Variable([3.0, 4.0, 5.0])
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    return {
        "none": enc(tape.jacobian(y, u)),
        "zero": enc(tape.jacobian(y, u, unconnected_gradients=tf.UnconnectedGradients.ZERO)),
        "x": enc(tape.jacobian(y, x)),
    }


@case
def output_gradients(tf):
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return {"g": enc(tape.gradient(y, x, output_gradients=tf.constant([1.0, 10.0, 100.0])))}


@case
def gradient_inside_the_block(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
        g = tape.gradient(y, x)
    return {"g": enc(g)}


@case
def non_persistent_twice(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    try:
        tape.gradient(y, x)
    except RuntimeError:
        return {"second_call": "RuntimeError"}
    return {"second_call": "no error"}


@case
def watched_variables_order(tf):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    c = tf.Variable(3.0, name="c")
    frozen = tf.Variable(4.0, name="frozen", trainable=False)
    with tf.GradientTape() as tape:
        y = b * c + a * frozen
    grads = tape.gradient(y, [a, b, c, frozen])
    return {"watched": [v.name for v in tape.watched_variables()], "grads": enc(grads)}


@case
def watched_variables_before_gradient(tf):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    layer = _dense(tf, 2, 3, None, 0.1)
    with tf.GradientTape() as tape:
        tf.reduce_sum(layer(tf.constant([[1.0, 2.0, 3.0]]))) * b + a
    return {"watched": [tuple(v.shape) for v in tape.watched_variables()]}


@case
def watch_non_trainable_variable(tf):
    frozen = tf.Variable(4.0, name="frozen", trainable=False)
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        y = frozen * frozen
    return {"g": enc(tape.gradient(y, frozen)), "watched": [v.name for v in tape.watched_variables()]}


@case
def custom_gradient_with_variables(tf):
    v = tf.Variable(2.0, name="v")

    @tf.custom_gradient
    def scale_by_v(x):
        y = x * v

        def grad(dy, variables=None):
            return dy * v * 10.0, [dy * x * 100.0 for _ in variables]

        return y, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale_by_v(x)
    return {"grads": enc(tape.gradient(y, [x, v]))}
