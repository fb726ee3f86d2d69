"""TensorBoard with a custom training loop: tf.summary file writers, scalars per epoch, read back.

Source: https://www.tensorflow.org/tensorboard/get_started ("Use TensorBoard with other methods") and
https://www.tensorflow.org/tensorboard/scalars_and_keras ("Logging custom scalars")
Covers: tf.summary.create_file_writer for train and test folders, `with writer.as_default():`
tf.summary.scalar(name, metric.result(), step=epoch) after a tf.function train step with
keras.metrics.Mean/SparseCategoricalAccuracy and reset_state, a custom learning-rate scalar
written through a LearningRateScheduler callback under a default writer during fit,
tf.summary.text, tf.summary.histogram (tags only), flush; the event files read back with
TensorBoard's own EventAccumulator and tensor_util (tags, steps, values).
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util

rng = np.random.default_rng(0)
x_train = rng.random((64, 6, 6)).astype("float32")
y_train = rng.integers(0, 3, 64).astype("int64")
x_test = rng.random((16, 6, 6)).astype("float32")
y_test = rng.integers(0, 3, 16).astype("int64")
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(16)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(16)


def create_model():
    return keras.models.Sequential(
        [layers.Input((6, 6)), layers.Flatten(), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")]
    )


loss_object = keras.losses.SparseCategoricalCrossentropy()
optimizer = keras.optimizers.Adam(learning_rate=0.01)
train_loss = keras.metrics.Mean("train_loss", dtype=tf.float32)
train_accuracy = keras.metrics.SparseCategoricalAccuracy("train_accuracy")
test_loss = keras.metrics.Mean("test_loss", dtype=tf.float32)
test_accuracy = keras.metrics.SparseCategoricalAccuracy("test_accuracy")

model = create_model()
init_weights(model, seed=1)


@tf.function
def train_step(model, optimizer, x_train, y_train):
    with tf.GradientTape() as tape:
        predictions = model(x_train, training=True)
        loss = loss_object(y_train, predictions)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss(loss)
    train_accuracy(y_train, predictions)


def test_step(model, x_test, y_test):
    predictions = model(x_test)
    loss = loss_object(y_test, predictions)
    test_loss(loss)
    test_accuracy(y_test, predictions)


root = tempfile.mkdtemp()
train_log_dir = os.path.join(root, "gradient_tape", "train")
test_log_dir = os.path.join(root, "gradient_tape", "test")
train_summary_writer = tf.summary.create_file_writer(train_log_dir)
test_summary_writer = tf.summary.create_file_writer(test_log_dir)

EPOCHS = 3
for epoch in range(EPOCHS):
    for x, y in train_dataset:
        train_step(model, optimizer, x, y)
    with train_summary_writer.as_default():
        tf.summary.scalar("loss", train_loss.result(), step=epoch)
        tf.summary.scalar("accuracy", train_accuracy.result(), step=epoch)
        tf.summary.histogram("dense_kernel", model.layers[1].kernel, step=epoch)
    for x, y in test_dataset:
        test_step(model, x, y)
    with test_summary_writer.as_default():
        tf.summary.scalar("loss", test_loss.result(), step=epoch)
        tf.summary.scalar("accuracy", test_accuracy.result(), step=epoch)
    train_loss.reset_state()
    test_loss.reset_state()
    train_accuracy.reset_state()
    test_accuracy.reset_state()
with train_summary_writer.as_default():
    tf.summary.text("note", "trained %d epochs" % EPOCHS, step=EPOCHS)
train_summary_writer.flush()
test_summary_writer.flush()

# "Logging custom scalars": a schedule that writes its rate under the default writer during fit.
lr_dir = os.path.join(root, "scalars", "metrics")
file_writer = tf.summary.create_file_writer(lr_dir)
file_writer.set_as_default()


def lr_schedule(epoch):
    learning_rate = 0.2
    if epoch > 1:
        learning_rate = 0.02
    tf.summary.scalar("learning rate", data=learning_rate, step=epoch)
    return learning_rate


model2 = create_model()
init_weights(model2, seed=2)
model2.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD())
history = model2.fit(
    x_train, y_train, batch_size=16, epochs=3, verbose=0, shuffle=False, callbacks=[keras.callbacks.LearningRateScheduler(lr_schedule)]
)
file_writer.flush()
report("fit.loss", history.history["loss"], tol=1e-4)


def read(folder):
    acc = event_accumulator.EventAccumulator(folder, size_guidance={"tensors": 0})
    acc.Reload()
    out = {}
    for tag in sorted(acc.Tags()["tensors"]):
        events = acc.Tensors(tag)
        out[tag] = [(e.step, e.tensor_proto) for e in events]
    return out


def number(proto):
    return float(tensor_util.make_ndarray(proto))


train_events = read(train_log_dir)
report("train.tags", sorted(train_events))
report("train.loss.steps", [s for s, _ in train_events["loss"]])
report("train.loss", [number(p) for _, p in train_events["loss"]], tol=1e-4)
report("train.accuracy", [number(p) for _, p in train_events["accuracy"]], tol=1e-4)
report("train.note", [tensor_util.make_ndarray(p).item() for _, p in train_events["note"]])
test_events = read(test_log_dir)
report("test.tags", sorted(test_events))
report("test.loss", [number(p) for _, p in test_events["loss"]], tol=1e-4)
lr_events = read(lr_dir)
report("lr.tags", sorted(lr_events))
report("lr.steps", [s for s, _ in lr_events["learning rate"]])
report("lr.values", [number(p) for _, p in lr_events["learning rate"]], tol=1e-6)
