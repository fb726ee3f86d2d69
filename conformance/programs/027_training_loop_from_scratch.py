"""Writing a training loop from scratch: GradientTape, metrics, tf.function steps, add_loss.

Source: keras-team/keras-io guides/writing_a_training_loop_from_scratch.py (TensorFlow version,
tensorflow/docs site/en/guide/keras/writing_a_training_loop_from_scratch)
Covers: a functional MLP, SGD, SparseCategoricalCrossentropy(from_logits), batched tf.data,
an eager loop with tape.gradient + apply_gradients, SparseCategoricalAccuracy train/val metrics
with reset_state, the same step under @tf.function, and model.losses from an add_loss layer.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

inputs = keras.Input(shape=(784,), name="digits")
x1 = layers.Dense(64, activation="relu")(inputs)
x2 = layers.Dense(64, activation="relu")(x1)
outputs = layers.Dense(10, name="predictions")(x2)
model = keras.Model(inputs=inputs, outputs=outputs)
init_weights(model, seed=0, scale=0.05)

optimizer = keras.optimizers.SGD(learning_rate=1e-3)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
batch_size = 16
rng = np.random.default_rng(1)
x_train = rng.random((64, 784)).astype("float32")
y_train = rng.integers(0, 10, 64).astype("int64")
x_val, y_val = x_train[:32], y_train[:32]
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(batch_size)
val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch_size)

for epoch in range(2):
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        with tf.GradientTape() as tape:
            logits = model(x_batch_train, training=True)
            loss_value = loss_fn(y_batch_train, logits)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)
        if step % 2 == 0:
            report("eager_loss", [epoch, step, float(loss_value)], tol=1e-4)

train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


@tf.function
def test_step(x, y):
    val_logits = model(x, training=False)
    val_acc_metric.update_state(y, val_logits)


for epoch in range(2):
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        loss_value = train_step(x_batch_train, y_batch_train)
    report("fn_last_loss", float(loss_value), tol=1e-4)
    report("train_acc", float(train_acc_metric.result()), tol=1e-6)
    train_acc_metric.reset_state()
    for x_batch_val, y_batch_val in val_dataset:
        test_step(x_batch_val, y_batch_val)
    report("val_acc", float(val_acc_metric.result()), tol=1e-6)
    val_acc_metric.reset_state()
report("iterations", int(optimizer.iterations.numpy()))


class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * tf.reduce_sum(inputs))
        return inputs


inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(8, activation="relu")(inputs)
x = ActivityRegularizationLayer()(x)
outputs = layers.Dense(10, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
init_weights(model, seed=2, scale=0.05)
logits = model(x_train[:4], training=True)
report("n_model_losses", len(model.losses))
loss_value = loss_fn(y_train[:4], logits) + sum(model.losses)
report("loss_with_reg", float(loss_value), tol=1e-4)
