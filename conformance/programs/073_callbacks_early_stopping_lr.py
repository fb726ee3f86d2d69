"""Callbacks in fit: EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, ModelCheckpoint(save_best_only).

Source: keras-team/keras-io guides/training_with_built_in_methods.py ("Using callbacks",
"Checkpointing models", "Using learning rate schedules", "Passing a schedule to an optimizer")
(tf.keras version: tensorflow/docs site/en/guide/keras/training_with_built_in_methods)
Covers: EarlyStopping(min_delta, patience) stopping a run (epochs run, stopped_epoch),
LearningRateScheduler changing the optimizer's learning rate per epoch (the "learning_rate" log
key), ReduceLROnPlateau lowering it on a stalled val_loss, ModelCheckpoint with save_best_only
writing only improving epochs, a custom callback recording logs, ExponentialDecay schedule values.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report

rng = np.random.default_rng(0)
x_train = rng.random((48, 8)).astype("float32")
y_train = rng.integers(0, 3, 48)
x_val = rng.random((16, 8)).astype("float32")
y_val = rng.integers(0, 3, 16)


def get_compiled_model(seed, lr=1e-2):
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    init_weights(model, seed=seed, scale=0.3)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
    return model


class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.per_batch_losses = []

    def on_batch_end(self, batch, logs=None):
        self.per_batch_losses.append(logs.get("loss"))


model = get_compiled_model(1, lr=0.5)
callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2, patience=2, verbose=0)]
history_cb = LossHistory()
history = model.fit(x_train, y_train, epochs=20, batch_size=16, shuffle=False, verbose=0,
                    callbacks=callbacks + [history_cb], validation_data=(x_val, y_val))
report("early_epochs_run", len(history.history["loss"]))
report("early_stopped_epoch", callbacks[0].stopped_epoch)
report("early_val_loss", history.history["val_loss"], tol=1e-4)
report("per_batch_count", len(history_cb.per_batch_losses))
report("per_batch_losses", history_cb.per_batch_losses[:3], tol=1e-4)


def scheduler(epoch, lr):
    if epoch < 2:
        return lr
    return lr * 0.5


model = get_compiled_model(2)
history = model.fit(x_train, y_train, epochs=4, batch_size=16, shuffle=False, verbose=0,
                    callbacks=[keras.callbacks.LearningRateScheduler(scheduler)])
report("sched_keys", sorted(history.history.keys()))
report("sched_lr", history.history["learning_rate"], tol=1e-6)
report("sched_final_lr", float(np.asarray(model.optimizer.learning_rate)), tol=1e-6)
report("sched_loss", history.history["loss"], tol=1e-4)

model = get_compiled_model(3, lr=0.5)
reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=1, min_delta=1e-2,
                                           min_lr=1e-3)
history = model.fit(x_train, y_train, epochs=6, batch_size=16, shuffle=False, verbose=0,
                    callbacks=[reduce], validation_data=(x_val, y_val))
report("plateau_lr", history.history["learning_rate"], tol=1e-6)
report("plateau_val_loss", history.history["val_loss"], tol=1e-4)

tmp = tempfile.mkdtemp()
model = get_compiled_model(4, lr=0.5)
checkpoint = keras.callbacks.ModelCheckpoint(
    filepath=os.path.join(tmp, "mymodel_{epoch}.keras"),
    save_best_only=True,
    monitor="val_loss",
    verbose=0,
)
history = model.fit(x_train, y_train, epochs=5, batch_size=16, shuffle=False, verbose=0,
                    callbacks=[checkpoint], validation_data=(x_val, y_val))
val = history.history["val_loss"]
report("ckpt_val_loss", val, tol=1e-4)
report("ckpt_files", sorted(os.listdir(tmp)))
best = keras.models.load_model(os.path.join(tmp, sorted(os.listdir(tmp), key=lambda n: int(n.split("_")[1].split(".")[0]))[-1]))
report("ckpt_best_eval", best.evaluate(x_val, y_val, verbose=0), tol=1e-4)

initial_learning_rate = 0.1
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate, decay_steps=100000, decay_rate=0.96, staircase=True)
report("exp_decay", [float(np.asarray(lr_schedule(s))) for s in (0, 99999, 100000, 250000)], tol=1e-6)
optimizer = keras.optimizers.RMSprop(learning_rate=lr_schedule)
report("optimizer_schedule_lr", float(np.asarray(optimizer.learning_rate)), tol=1e-6)
