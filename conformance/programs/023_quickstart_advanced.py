"""The expert quickstart: subclassed model, tf.data, GradientTape train/test steps, metrics.

Source: tensorflow/docs site/en/tutorials/quickstart/advanced.ipynb
Covers: adding a channels axis with [..., tf.newaxis], Dataset.from_tensor_slices(...).batch,
a subclassed MyModel (Conv2D, Flatten, Dense, Dense), SparseCategoricalCrossentropy(from_logits),
Adam, Mean / SparseCategoricalAccuracy metrics, @tf.function train_step/test_step, reset_state.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
x_train = (rng.integers(0, 256, size=(32, 12, 12)) / 255.0).astype("float32")
y_train = rng.integers(0, 10, size=(32,)).astype("int64")
x_test = (rng.integers(0, 256, size=(16, 12, 12)) / 255.0).astype("float32")
y_test = rng.integers(0, 10, size=(16,)).astype("int64")
x_train = x_train[..., tf.newaxis].astype("float32")
x_test = x_test[..., tf.newaxis].astype("float32")
report("x_train.shape", x_train.shape)
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(8)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(8)


class MyModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(4, 3, activation="relu")
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(16, activation="relu")
        self.d2 = layers.Dense(10)

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


model = MyModel()
model(x_train[:1])
init_weights(model, seed=2, scale=0.1)
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam()
train_loss = keras.metrics.Mean(name="train_loss")
train_accuracy = keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
test_loss = keras.metrics.Mean(name="test_loss")
test_accuracy = keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = loss_object(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss(loss)
    train_accuracy(labels, predictions)


@tf.function
def test_step(images, labels):
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)
    test_loss(t_loss)
    test_accuracy(labels, predictions)


for epoch in range(3):
    train_loss.reset_state()
    train_accuracy.reset_state()
    test_loss.reset_state()
    test_accuracy.reset_state()
    for images, labels in train_ds:
        train_step(images, labels)
    for test_images, test_labels in test_ds:
        test_step(test_images, test_labels)
    report("epoch", [epoch + 1, float(train_loss.result()), float(train_accuracy.result()),
                     float(test_loss.result()), float(test_accuracy.result())], tol=1e-4)
report("metric_names", [train_loss.name, train_accuracy.name])
report("optimizer_iterations", int(optimizer.iterations.numpy()))
