"""The beginner quickstart: Sequential model, logits, softmax, loss, compile, fit, evaluate.

Source: tensorflow/docs site/en/tutorials/quickstart/beginner.ipynb
Covers: MNIST-shaped data (uint8 images scaled by 255), Sequential(Flatten, Dense relu, Dropout,
Dense), predictions on one example, tf.nn.softmax, SparseCategoricalCrossentropy(from_logits),
initial loss, compile with metrics=["accuracy"], fit log keys, evaluate, a probability model.
"""
import numpy as np
from _target import init_weights, keras, report, tf

rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(64, 28, 28)).astype("uint8")
y_train = rng.integers(0, 10, size=(64,)).astype("uint8")
x_test = rng.integers(0, 256, size=(32, 28, 28)).astype("uint8")
y_test = rng.integers(0, 10, size=(32,)).astype("uint8")
x_train, x_test = x_train / 255.0, x_test / 255.0

model = keras.models.Sequential([
    keras.layers.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(10),
])
init_weights(model, seed=1, scale=0.05)
predictions = model(x_train[:1]).numpy()
report("predictions.shape", predictions.shape)
report("predictions", predictions, tol=1e-4)
report("softmax", tf.nn.softmax(predictions).numpy(), tol=1e-5)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
report("initial_loss", loss_fn(y_train[:1], predictions).numpy(), tol=1e-5)

model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("epochs", history.epoch)
result = model.evaluate(x_test, y_test, verbose=0)
report("evaluate_len", len(result))
report("metrics_names", model.metrics_names)

probability_model = keras.Sequential([model, keras.layers.Softmax()])
probs = probability_model(x_test[:5])
report("probs.shape", probs.shape)
report("probs_sum", tf.reduce_sum(probs, axis=1), tol=1e-5)
