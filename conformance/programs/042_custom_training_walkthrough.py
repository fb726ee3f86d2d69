"""Custom training walkthrough (penguins-shaped data): model, loss, grad, optimizer loop.

Source: tensorflow/docs site/en/tutorials/customization/custom_training_walkthrough.ipynb
Covers: a (N, 4) float feature table with 3 classes, Dataset.from_tensor_slices(...).batch,
Sequential(Dense(10, relu, input_shape=(4,)), Dense(10, relu), Dense(3)), predictions and
softmax, argmax, SparseCategoricalCrossentropy(from_logits) loss(), grad() with GradientTape,
SGD(0.01) apply_gradients and optimizer.iterations, an epoch loop with Mean and
SparseCategoricalAccuracy, and test-set accuracy via tf.math.argmax.
"""
import numpy as np
from _target import init_weights, keras, report, tf

rng = np.random.default_rng(0)
features = rng.normal(size=(48, 4)).astype("float32")
labels = (np.argmax(features[:, :3], axis=1)).astype("int64")
class_names = ["Adelie", "Chinstrap", "Gentoo"]
ds = tf.data.Dataset.from_tensor_slices((features, labels)).batch(16)
features_batch, labels_batch = next(iter(ds))
report("features_batch.shape", features_batch.shape)

model = keras.Sequential([
    keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),
    keras.layers.Dense(10, activation=tf.nn.relu),
    keras.layers.Dense(3),
])
init_weights(model, seed=1, scale=0.5)
predictions = model(features_batch)
report("predictions[:2]", predictions[:2], tol=1e-5)
report("softmax[:2]", tf.nn.softmax(predictions[:2]), tol=1e-5)
report("argmax", tf.math.argmax(predictions, axis=1))
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def loss(model, x, y, training):
    y_ = model(x, training=training)
    return loss_object(y_true=y, y_pred=y_)


report("loss_test", loss(model, features_batch, labels_batch, training=False).numpy(), tol=1e-5)


def grad(model, inputs, targets):
    with tf.GradientTape() as tape:
        loss_value = loss(model, inputs, targets, training=True)
    return loss_value, tape.gradient(loss_value, model.trainable_variables)


optimizer = keras.optimizers.SGD(learning_rate=0.01)
loss_value, grads = grad(model, features_batch, labels_batch)
report("step0", [optimizer.iterations.numpy(), loss_value.numpy()], tol=1e-5)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
report("step1", [optimizer.iterations.numpy(), loss(model, features_batch, labels_batch, training=True).numpy()],
       tol=1e-5)

for epoch in range(5):
    epoch_loss_avg = keras.metrics.Mean()
    epoch_accuracy = keras.metrics.SparseCategoricalAccuracy()
    for x, y in ds:
        loss_value, grads = grad(model, x, y)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        epoch_loss_avg.update_state(loss_value)
        epoch_accuracy.update_state(y, model(x, training=True))
    report("epoch", [epoch, float(epoch_loss_avg.result()), float(epoch_accuracy.result())], tol=1e-4)

test_accuracy = keras.metrics.Accuracy()
for (x, y) in ds:
    logits = model(x, training=False)
    prediction = tf.math.argmax(logits, axis=1, output_type=tf.int64)
    test_accuracy(prediction, y)
report("test_accuracy", float(test_accuracy.result()), tol=1e-6)
predict_dataset = tf.convert_to_tensor([[5.1, 3.3, 1.7, 0.5], [5.9, 3.0, 4.2, 1.5], [6.9, 3.1, 5.4, 2.1]])
predictions = model(predict_dataset, training=False)
report("predicted_names", [class_names[int(tf.math.argmax(logits))] for logits in predictions])
