"""Basic image classification (Fashion-MNIST shaped data): Flatten + Dense, fit, evaluate, predict.

Source: tensorflow/docs site/en/tutorials/keras/classification.ipynb
Covers: uint8 (N, 28, 28) images scaled to [0, 1], class_names indexing, Sequential with
Input/Flatten/Dense(128, relu)/Dense(10), compile(adam, SparseCategoricalCrossentropy(from_logits),
["accuracy"]), fit for 2 epochs, evaluate (loss, accuracy), a probability model with Softmax,
predict shapes, np.argmax of a prediction, predicting one image with np.expand_dims.
"""
import numpy as np
from _target import init_weights, keras, report

rng = np.random.default_rng(0)
train_images = rng.integers(0, 256, (60, 28, 28)).astype("uint8")
train_labels = rng.integers(0, 10, 60).astype("uint8")
test_images = rng.integers(0, 256, (20, 28, 28)).astype("uint8")
test_labels = rng.integers(0, 10, 20).astype("uint8")
class_names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
report("train_images.shape", train_images.shape)
report("first_label_name", class_names[train_labels[0]])
train_images = train_images / 255.0
test_images = test_images / 255.0

model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10),
])
init_weights(model, seed=1, scale=0.05)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
history = model.fit(train_images, train_labels, epochs=2, batch_size=20, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)
report("test_loss", test_loss, tol=1e-3)

probability_model = keras.Sequential([model, keras.layers.Softmax()])
predictions = probability_model.predict(test_images, verbose=0)
report("predictions.shape", predictions.shape)
report("predictions[0]", predictions[0], tol=1e-3)
report("argmax.type", type(np.argmax(predictions[0])).__name__)
img = test_images[1]
img = np.expand_dims(img, 0)
report("img.shape", img.shape)
predictions_single = probability_model.predict(img, verbose=0)
report("single.shape", predictions_single.shape)
report("single_sum", float(np.sum(predictions_single)), tol=1e-5)
