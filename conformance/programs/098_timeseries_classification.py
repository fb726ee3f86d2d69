"""Timeseries classification from scratch: a fully convolutional network on univariate series.

Source: keras-team/keras-io examples/timeseries/timeseries_classification_from_scratch.py
Covers: readucr-style np.loadtxt of a tab-separated file (label in column 0), reshape to
(samples, timesteps, 1), labels -1 -> 0, a functional make_model with keras.layers.Input(input_shape),
three Conv1D(filters=64, kernel_size=3, padding="same") + BatchNormalization + ReLU blocks,
GlobalAveragePooling1D, Dense softmax, keras.models.Model(inputs=, outputs=); callbacks
ModelCheckpoint("best_model.keras", save_best_only=True, monitor="val_loss"),
ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=20, min_lr=0.0001),
EarlyStopping(monitor="val_loss", patience=50, verbose=1); compile(optimizer="adam",
loss="sparse_categorical_crossentropy", metrics=["accuracy"]), fit(validation_split=0.2),
keras.models.load_model of the best checkpoint, predict(...).argmax(axis=1).
(Synthetic FordA-shaped data, 48 timesteps, 3 epochs, no shuffling; the tutorial's "best_model.h5"
is written as .keras, the format Keras 3 saves by default.)
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report

tmp = tempfile.mkdtemp()
rng = np.random.default_rng(98)


def write_ucr(path, n):
    y = rng.choice([-1, 1], size=n)
    t = np.arange(48)
    x = np.sin(t[None, :] / (3.0 + y[:, None])) + rng.normal(0, 0.3, (n, 48))
    np.savetxt(path, np.concatenate([y[:, None], x], axis=1), delimiter="\t")


write_ucr(os.path.join(tmp, "FordA_TRAIN.tsv"), 80)
write_ucr(os.path.join(tmp, "FordA_TEST.tsv"), 24)


def readucr(filename):
    data = np.loadtxt(filename, delimiter="\t")
    y = data[:, 0]
    x = data[:, 1:]
    return x, y.astype(int)


x_train, y_train = readucr(os.path.join(tmp, "FordA_TRAIN.tsv"))
x_test, y_test = readucr(os.path.join(tmp, "FordA_TEST.tsv"))
classes = np.unique(np.concatenate((y_train, y_test), axis=0))
report("classes", classes)

x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
x_test = x_test.reshape((x_test.shape[0], x_test.shape[1], 1))
num_classes = len(np.unique(y_train))
y_train[y_train == -1] = 0
y_test[y_test == -1] = 0


def make_model(input_shape):
    input_layer = keras.layers.Input(input_shape)

    conv1 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(input_layer)
    conv1 = keras.layers.BatchNormalization()(conv1)
    conv1 = keras.layers.ReLU()(conv1)

    conv2 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv1)
    conv2 = keras.layers.BatchNormalization()(conv2)
    conv2 = keras.layers.ReLU()(conv2)

    conv3 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv2)
    conv3 = keras.layers.BatchNormalization()(conv3)
    conv3 = keras.layers.ReLU()(conv3)

    gap = keras.layers.GlobalAveragePooling1D()(conv3)

    output_layer = keras.layers.Dense(num_classes, activation="softmax")(gap)

    return keras.models.Model(inputs=input_layer, outputs=output_layer)


model = make_model(input_shape=x_train.shape[1:])
report("input_shape", x_train.shape[1:])
report("count_params", [model.count_params(), len(model.trainable_weights), len(model.non_trainable_weights)])
report("layer_classes", [type(layer).__name__ for layer in model.layers])
init_weights(model, seed=1, scale=0.1)

epochs = 3
batch_size = 32
best_path = os.path.join(tmp, "best_model.keras")
callbacks = [
    keras.callbacks.ModelCheckpoint(
        best_path, save_best_only=True, monitor="val_loss"
    ),
    keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", factor=0.5, patience=20, min_lr=0.0001
    ),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=50, verbose=1),
]
model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
history = model.fit(
    x_train,
    y_train,
    batch_size=batch_size,
    epochs=epochs,
    callbacks=callbacks,
    validation_split=0.2,
    verbose=0,
    shuffle=False,
)
report("history_keys", sorted(history.history.keys()))
report("loss", history.history["loss"], tol=1e-3)
report("val_loss", history.history["val_loss"], tol=1e-3)
report("accuracy", history.history["accuracy"], tol=1e-5)
report("learning_rate", history.history["learning_rate"], tol=1e-6)
report("best_exists", os.path.exists(best_path))

best_epoch = int(np.argmin(history.history["val_loss"]))
model = keras.models.load_model(best_path)
report("loaded_class", type(model).__name__)
probs = model.predict(x_test, verbose=0)
report("probs", probs, tol=1e-3)
y_pred = probs.argmax(axis=1)
report("test_accuracy", float(np.mean(y_pred == y_test)))
report("evaluate", model.evaluate(x_test, y_test, verbose=0), tol=1e-3)
report("best_epoch", best_epoch)
