"""Built-in callbacks: ModelCheckpoint(save_best_only), CSVLogger, ReduceLROnPlateau, History.

Source: keras-team/keras-io guides/training_with_built_in_methods.py ("Using callbacks",
"Checkpointing models") (tensorflow/docs site/en/guide/keras/training_with_built_in_methods)
Covers: ModelCheckpoint with a {epoch} pattern, monitor="val_loss", save_best_only=True and
verbose=0 (which files exist), CSVLogger file header and row count, ReduceLROnPlateau lowering
the learning rate (lr log per epoch), EarlyStopping restore_best_weights, model.history.
"""
import csv
import os
import tempfile

import numpy as np
from _target import keras, report

rng = np.random.default_rng(0)
x = rng.random((32, 4)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")).astype("float32")
x_val, y_val = x[:8], -y[:8]  # a validation set that gets worse as training fits y


def get_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.set_weights([np.zeros((4, 1), "float32"), np.zeros(1, "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    return model


d = tempfile.mkdtemp()
model = get_model()
callbacks = [keras.callbacks.ModelCheckpoint(filepath=os.path.join(d, "mymodel_{epoch}.keras"), save_best_only=True,
                                             monitor="val_loss", verbose=0),
             keras.callbacks.CSVLogger(os.path.join(d, "log.csv"))]
history = model.fit(x, y, epochs=4, batch_size=8, validation_data=(x_val, y_val), verbose=0, shuffle=False,
                    callbacks=callbacks)
report("val_loss", history.history["val_loss"], tol=1e-4)
report("checkpoint_files", sorted(f for f in os.listdir(d) if f.endswith(".keras")))
with open(os.path.join(d, "log.csv")) as f:
    rows = list(csv.reader(f))
report("csv_header", rows[0])
report("csv_rows", len(rows) - 1)
report("csv_first_epoch", rows[1][0])
report("model.history_is_history", model.history is history)

model = get_model()
history = model.fit(x, y, epochs=6, batch_size=8, validation_data=(x_val, y_val), verbose=0, shuffle=False,
                    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1,
                                                                  min_lr=0.01)])
report("plateau_history_keys", sorted(history.history.keys()))
report("plateau_lr", history.history["learning_rate"], tol=1e-6)

model = get_model()
history = model.fit(x, y, epochs=10, batch_size=8, validation_data=(x_val, y_val), verbose=0, shuffle=False,
                    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                                             restore_best_weights=True)])
report("early_stopping_epochs", len(history.history["loss"]))
best = int(np.argmin(history.history["val_loss"]))
report("restored_best_val_loss", [best, float(model.evaluate(x_val, y_val, verbose=0)[0])], tol=1e-4)
