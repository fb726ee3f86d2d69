"""Basic classification of clothing images: Flatten + Dense, logits loss, a Softmax probability model.

Source: tensorflow/docs site/en/tutorials/keras/classification.ipynb
Covers: scaling images to [0, 1], Sequential([Flatten, Dense(128, relu), Dense(10)]), compile with
SparseCategoricalCrossentropy(from_logits=True) and accuracy, fit, evaluate, wrapping the model with a
Softmax layer into a probability model, predict and argmax, predicting a single image batch.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(75)
train_images = rng.integers(0, 256, (96, 28, 28)).astype("uint8")
train_labels = rng.integers(0, 10, 96).astype("uint8")
test_images = rng.integers(0, 256, (32, 28, 28)).astype("uint8")
test_labels = rng.integers(0, 10, 32).astype("uint8")
report("train_images.shape", train_images.shape)
train_images = train_images / 255.0
test_images = test_images / 255.0
report("train_images.dtype", str(train_images.dtype))

model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10),
])
init_weights(model, seed=5, scale=0.05)
report("count_params", model.count_params())
report("layer_types", [type(l).__name__ for l in model.layers])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
history = model.fit(train_images, train_labels, epochs=3, batch_size=32, shuffle=False, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)
report("test_loss", test_loss, tol=1e-3)
report("test_acc_type", type(test_acc).__name__)

probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
predictions = probability_model.predict(test_images, verbose=0)
report("predictions.shape", predictions.shape)
report("predictions.dtype", str(predictions.dtype))
report("predictions[0]", predictions[0], tol=1e-3)
report("predictions_row_sums", np.sum(predictions, axis=1), tol=1e-5)
report("argmax_0", int(np.argmax(predictions[0])))
report("argmax_all", np.argmax(predictions, axis=1).tolist())

img = test_images[1]
report("img.shape", img.shape)
img = np.expand_dims(img, 0)
report("img_batch.shape", img.shape)
predictions_single = probability_model.predict(img, verbose=0)
report("predictions_single.shape", predictions_single.shape)
report("predictions_single", predictions_single, tol=1e-3)
report("single_argmax", int(np.argmax(predictions_single[0])))
