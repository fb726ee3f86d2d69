"""Simple MNIST convnet: Conv2D/MaxPooling2D/Flatten/Dropout/Dense softmax, to_categorical, validation_split.

Source: keras-team/keras-io examples/vision/mnist_convnet.py
Covers: uint8 images scaled to [0, 1] and np.expand_dims to (28, 28, 1), keras.utils.to_categorical,
keras.Sequential([keras.Input(shape=input_shape), Conv2D(32, kernel_size=(3, 3), activation="relu"),
MaxPooling2D(pool_size=(2, 2)), ..., Flatten(), Dropout(0.5), Dense(num_classes, activation="softmax")]),
count_params and the layers' output shapes (what summary() prints), compile with the
"categorical_crossentropy" string and optimizer="adam", fit(batch_size=128, validation_split=0.1),
evaluate returning [loss, accuracy]. (Small synthetic data, 2 epochs, no shuffling; Dropout makes the
trained numbers framework-specific, so values are compared before training and in inference.)
"""
import numpy as np
from _target import init_weights, keras, layers, report

num_classes = 10
input_shape = (28, 28, 1)

rng = np.random.default_rng(97)
x_train = rng.integers(0, 256, size=(160, 28, 28)).astype("uint8")
y_train = rng.integers(0, 10, size=(160,)).astype("uint8")
x_test = rng.integers(0, 256, size=(40, 28, 28)).astype("uint8")
y_test = rng.integers(0, 10, size=(40,)).astype("uint8")

x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
report("x_train.shape", x_train.shape)

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
report("y_train", [y_train.shape, str(y_train.dtype), y_train[:3]])

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
report("count_params", model.count_params())
report("output_shapes", [list(layer.output.shape) for layer in model.layers])
report("layer_params", [layer.count_params() for layer in model.layers])
init_weights(model, seed=1, scale=0.05)

batch_size = 128
epochs = 2

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
score = model.evaluate(x_test, y_test, verbose=0)
report("score_before", score, tol=1e-4)

history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1,
                    verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_len", [len(v) for k, v in sorted(history.history.items())])
score = model.evaluate(x_test, y_test, verbose=0)
report("score_len", len(score))
pred = model.predict(x_test[:4], verbose=0)
report("pred", [pred.shape, str(pred.dtype)])
report("pred_sum", pred.sum(axis=1), tol=1e-5)
