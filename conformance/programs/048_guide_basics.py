"""TensorFlow basics: tensors, variables, autodiff, graphs, modules and a training loop in one tour.

Source: tensorflow/docs site/en/guide/basics.ipynb
Covers: tf.constant matrix ops (+, *, @, tf.concat, tf.nn.softmax, tf.reduce_sum), a Variable
and assign_add, a gradient of x**2 - 2x + ... at a point, a @tf.function (traced once,
called twice), a tf.Module with trainable_variables and checkpoint-free call, and a quadratic
keras.Model trained with a GradientTape loop on synthetic data (final loss).
"""
import numpy as np
from _target import keras, report, tf

x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
report("x", x)
report("x.shape", x.shape)
report("x.dtype", x.dtype)
report("x+x", x + x)
report("5*x", 5 * x)
report("x@xT", x @ tf.transpose(x))
report("concat", tf.concat([x, x, x], axis=0))
report("softmax", tf.nn.softmax(x, axis=-1), tol=1e-6)
report("reduce_sum", tf.reduce_sum(x))
report("cast_sqrt", tf.math.sqrt(tf.convert_to_tensor(4.0)))

var = tf.Variable([0.0, 0.0, 0.0])
var.assign([1, 2, 3])
var.assign_add([1, 1, 1])
report("var", var)

x = tf.Variable(1.0)


def f(x):
    return x ** 2 + 2 * x - 5


report("f(x)", f(x))
with tf.GradientTape() as tape:
    y = f(x)
g_x = tape.gradient(y, x)
report("g_x", g_x)

traces = []


@tf.function
def my_func(x):
    traces.append(1)
    return tf.reduce_sum(x)


x = tf.constant([1, 2, 3])
report("my_func", my_func(x))
x = tf.constant([10, 9, 8])
report("my_func_again", my_func(x))
report("traces", len(traces))
x = tf.constant([10.0, 9.1, 8.2], dtype=tf.float32)
report("my_func_float", my_func(x), tol=1e-6)
report("traces_after_float", len(traces))


class MyModule(tf.Module):
    def __init__(self, value):
        self.weight = tf.Variable(value)

    @tf.function
    def multiply(self, x):
        return x * self.weight


mod = MyModule(3)
report("module_multiply", mod.multiply(tf.constant([1, 2, 3])))
report("module_vars", [v.numpy() for v in mod.trainable_variables])

x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)


def f(x):
    return x ** 2 + 2 * x - 5


rng = np.random.default_rng(0)
y = f(x) + tf.constant(rng.normal(size=x.shape).astype("float32"))


class Model(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.dense1 = keras.layers.Dense(units=units, activation=tf.nn.relu,
                                         kernel_initializer=keras.initializers.Constant(
                                             np.linspace(-1, 1, units).reshape(1, units).astype("float32")),
                                         bias_initializer=keras.initializers.Constant(
                                             np.linspace(1, -1, units).astype("float32")))
        self.dense2 = keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(0.1))

    def call(self, x, training=True):
        x = x[:, tf.newaxis]
        x = self.dense1(x)
        x = self.dense2(x)
        return tf.squeeze(x, axis=1)


model = Model(64)
untrained_predictions = model(x)
report("untrained_predictions[:3]", untrained_predictions[:3], tol=1e-5)
variables = model.variables
report("n_variables", len(variables))
optimizer = keras.optimizers.SGD(learning_rate=0.01)
for step in range(100):
    with tf.GradientTape() as tape:
        prediction = model(x)
        error = (y - prediction) ** 2
        mean_error = tf.reduce_mean(error)
    gradient = tape.gradient(mean_error, variables)
    optimizer.apply_gradients(zip(gradient, variables))
    if step % 25 == 0:
        report("mean_error", [step, mean_error.numpy()], tol=1e-4)
report("final_error", mean_error.numpy(), tol=1e-4)
