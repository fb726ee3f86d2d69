"""A linear model trained by a manual loop (tf.Module), then as a keras.Model with compile/fit.

Source: tensorflow/docs site/en/guide/basic_training_loops.ipynb ("Define the model",
"Define a loss function", "Define a training loop", "The same solution, but with Keras")
Covers: a Module whose variables are listed by .variables/.trainable_variables, an MSE loss,
a training step with GradientTape and assign_sub, recording W and b per epoch, the same model
as a keras.Model (add_weight) trained with compile/fit in mini-batches, evaluate and predict.
"""
import numpy as np
from _target import keras, report, tf

TRUE_W, TRUE_B, NUM_EXAMPLES = 3.0, 2.0, 64
x = tf.linspace(-2.0, 2.0, NUM_EXAMPLES)
x = tf.cast(x, tf.float32)
rng = np.random.default_rng(7)
noise = tf.constant(rng.normal(size=[NUM_EXAMPLES]).astype("float32") * 0.5)
y = x * TRUE_W + TRUE_B + noise


class MyModel(tf.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

    def __call__(self, x):
        return self.w * x + self.b


model = MyModel(name="linear")
report("n_variables", len(model.variables))
report("n_trainable", len(model.trainable_variables))
report("module_name", model.name)
report("predict_3", model(3.0).numpy())


def loss(target_y, predicted_y):
    return tf.reduce_mean(tf.square(target_y - predicted_y))


report("initial_loss", loss(y, model(x)).numpy(), tol=1e-5)


def train(model, x, y, learning_rate):
    with tf.GradientTape() as t:
        current_loss = loss(y, model(x))
    dw, db = t.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dw)
    model.b.assign_sub(learning_rate * db)


weights, biases = [], []
epochs = range(8)


def training_loop(model, x, y):
    for epoch in epochs:
        train(model, x, y, learning_rate=0.05)
        weights.append(model.w.numpy())
        biases.append(model.b.numpy())
        report("epoch_loss", loss(y, model(x)).numpy(), tol=1e-4)


training_loop(model, x, y)
report("weights", weights, tol=1e-4)
report("biases", biases, tol=1e-4)


class MyModelKeras(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = self.add_weight(shape=(), initializer=keras.initializers.Constant(5.0))
        self.b = self.add_weight(shape=(), initializer="zeros")

    def call(self, x):
        return self.w * x + self.b


keras_model = MyModelKeras()
report("keras_untrained_loss", loss(y, keras_model(x)).numpy(), tol=1e-5)
keras_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05),
                    loss="mse")
history = keras_model.fit(x, y, epochs=4, batch_size=16, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-4)
report("keras_w_b", [keras_model.w.numpy(), keras_model.b.numpy()], tol=1e-4)
report("evaluate", keras_model.evaluate(x, y, batch_size=32, verbose=0), tol=1e-4)
pred = keras_model.predict(tf.constant([0.0, 1.0]), verbose=0)
report("predict.shape", pred.shape)
report("predict", pred, tol=1e-4)
