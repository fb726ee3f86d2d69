"""A training loop from scratch: a linear model as a tf.Module, then as a Keras model.

Source: tensorflow/docs site/en/guide/basic_training_loops.ipynb
Covers: synthetic linear data, a Module with two variables, an MSE loss, a GradientTape step with
assign_sub, a loop over epochs, and the same model as a keras.Model trained with compile/fit.
"""
import numpy as np
from _target import keras, report, tf

TRUE_W, TRUE_B, NUM_EXAMPLES = 3.0, 2.0, 201
x = tf.linspace(-2.0, 2.0, NUM_EXAMPLES)
x = tf.cast(x, tf.float32)
rng = np.random.default_rng(0)
noise = tf.constant(rng.normal(size=[NUM_EXAMPLES]).astype("float32"))


def f(x):
    return x * TRUE_W + TRUE_B


y = f(x) + noise
report("x.shape", x.shape)


class MyModel(tf.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

    def __call__(self, x):
        return self.w * x + self.b


model = MyModel()
report("variables", [v.numpy() for v in model.variables])


def loss(target_y, predicted_y):
    return tf.reduce_mean(tf.square(target_y - predicted_y))


report("initial_loss", loss(y, model(x)).numpy(), tol=1e-5)


def train(model, x, y, learning_rate):
    with tf.GradientTape() as t:
        current_loss = loss(y, model(x))
    dw, db = t.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dw)
    model.b.assign_sub(learning_rate * db)


for epoch in range(10):
    train(model, x, y, learning_rate=0.1)
    report("epoch_loss", loss(y, model(x)).numpy(), tol=1e-4)
report("trained_w_b", [model.w.numpy(), model.b.numpy()], tol=1e-4)


class MyModelKeras(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Keras 3 tracks weights made by add_weight (a raw tf.Variable attribute is not trained by fit).
        self.w = self.add_weight(shape=(), initializer=keras.initializers.Constant(5.0))
        self.b = self.add_weight(shape=(), initializer="zeros")

    def call(self, x):
        return self.w * x + self.b


keras_model = MyModelKeras()
keras_model.compile(run_eagerly=False, optimizer=keras.optimizers.SGD(learning_rate=0.1),
                    loss=keras.losses.MeanSquaredError())
history = keras_model.fit(x, y, epochs=5, batch_size=1000, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-4)
report("keras_w_b", [keras_model.w.numpy(), keras_model.b.numpy()], tol=1e-4)
