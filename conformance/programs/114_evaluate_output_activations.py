"""Basic classification's evaluate and predict, with softmax, sigmoid and logit outputs.

Source: tensorflow/docs site/en/tutorials/keras/classification.ipynb
Covers: Sequential of Flatten, Dense(relu), Dense(10) compiled with
SparseCategoricalCrossentropy(from_logits=True) and accuracy, model.evaluate, a
probability model (Sequential([model, Softmax()])) and np.argmax of predict; then the same stack
ending in Dense(10, activation='softmax') and in Dense(10, activation='sigmoid') compiled with
'sparse_categorical_crossentropy' (from_logits=False): evaluate and predict of each, batch sizes
that leave a ragged last batch. The sigmoid case records what tf.keras's crossentropy reads from
a sigmoid output (docs/differences.md).
"""
import numpy as np
from _target import init_weights, keras, report, tf

rng = np.random.default_rng(114)
test_images = rng.uniform(size=(100, 28, 28)).astype("float32")
test_labels = rng.integers(0, 10, 100)


def make(activation):
    return tf.keras.Sequential(
        [
            tf.keras.layers.Input((28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(10, activation=activation),
        ]
    )


model = make(None)
init_weights(model, 114)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
test_loss, test_acc = model.evaluate(test_images, test_labels, batch_size=32, verbose=0)
report("logits_evaluate", [test_loss, test_acc], tol=1e-5)
probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
predictions = probability_model.predict(test_images, batch_size=32, verbose=0)
report("probability_model_predict", predictions[:3], tol=1e-5)
report("argmax", np.argmax(predictions, axis=1)[:10].tolist())

for activation in ("softmax", "sigmoid"):
    model = make(activation)
    init_weights(model, 114)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    logs = model.evaluate(test_images, test_labels, batch_size=32, verbose=0, return_dict=True)
    report(f"{activation}_evaluate", logs, tol=1e-5)
    report(f"{activation}_predict", model.predict(test_images, batch_size=32, verbose=0)[:3], tol=1e-5)
