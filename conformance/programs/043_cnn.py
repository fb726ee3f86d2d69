"""Convolutional neural network (CIFAR-10 shaped): Conv2D/MaxPooling2D stack, shapes and training.

Source: tensorflow/docs site/en/tutorials/images/cnn.ipynb
Covers: (N, 32, 32, 3) uint8 images scaled by 255, a Sequential of Conv2D(32, 3, relu,
input_shape) / MaxPooling2D((2, 2)) / Conv2D(64) ..., output shapes of each layer, parameter
counts, Flatten + Dense head, compile with SparseCategoricalCrossentropy(from_logits) and
accuracy, fit with validation_data, history keys, evaluate.
"""
import numpy as np
from _target import init_weights, keras, layers, report

rng = np.random.default_rng(0)
train_images = rng.integers(0, 256, (24, 32, 32, 3)).astype("uint8") / 255.0
train_labels = rng.integers(0, 10, (24, 1)).astype("uint8")
test_images = rng.integers(0, 256, (8, 32, 32, 3)).astype("uint8") / 255.0
test_labels = rng.integers(0, 10, (8, 1)).astype("uint8")

model = keras.models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
report("conv_output_shapes", [l.output.shape for l in model.layers])
report("conv_params", [l.count_params() for l in model.layers])
model.add(layers.Flatten())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(10))
report("total_params", model.count_params())
report("output_shape", model.outputs[0].shape)
init_weights(model, seed=1, scale=0.05)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
history = model.fit(train_images, train_labels, epochs=2, batch_size=8,
                    validation_data=(test_images, test_labels), verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
report("test_loss", test_loss, tol=1e-3)
