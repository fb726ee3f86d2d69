"""Overfit and underfit: learning-rate schedules, regularizers, dropout and history curves.

Source: tensorflow/docs site/en/tutorials/keras/overfit_and_underfit.ipynb
Covers: keras.optimizers.schedules.InverseTimeDecay values per step, a model compiled with
BinaryCrossentropy(from_logits) and metrics [BinaryCrossentropy(from_logits, name=...),
"accuracy"], an L2-regularized model (kernel_regularizer=regularizers.l2) and its model.losses,
a Dropout model, EarlyStopping(monitor="val_binary_crossentropy"), and history keys/lengths.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

N_TRAIN, BATCH_SIZE, FEATURES = 64, 16, 28
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE
lr_schedule = keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=STEPS_PER_EPOCH * 1000,
                                                          decay_rate=1, staircase=False)
steps = np.array([0, 1000, 4000, 100000])
report("lr_schedule", [float(lr_schedule(int(s))) for s in steps], tol=1e-7)
report("schedule_config", sorted(lr_schedule.get_config().keys()))

rng = np.random.default_rng(0)
features = rng.normal(size=(N_TRAIN + 16, FEATURES)).astype("float32")
labels = (features[:, 0] + features[:, 1] > 0).astype("float32")[:, None]
train_ds = tf.data.Dataset.from_tensor_slices((features[:N_TRAIN], labels[:N_TRAIN])).batch(BATCH_SIZE)
validate_ds = tf.data.Dataset.from_tensor_slices((features[N_TRAIN:], labels[N_TRAIN:])).batch(BATCH_SIZE)


def compile_and_fit(model, seed, max_epochs=3):
    init_weights(model, seed=seed, scale=0.1)
    model.compile(optimizer=keras.optimizers.Adam(lr_schedule),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"),
                           "accuracy"])
    return model.fit(train_ds, epochs=max_epochs, validation_data=validate_ds, verbose=0,
                     callbacks=[keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=200)])


tiny_model = keras.Sequential([keras.Input((FEATURES,)), layers.Dense(16, activation="elu"), layers.Dense(1)])
history = compile_and_fit(tiny_model, seed=1)
report("history_keys", sorted(history.history.keys()))
report("tiny_loss", history.history["loss"], tol=1e-4)
report("tiny_val_bce", history.history["val_binary_crossentropy"], tol=1e-4)

l2_model = keras.Sequential([
    keras.Input((FEATURES,)),
    layers.Dense(32, activation="elu", kernel_regularizer=keras.regularizers.l2(0.001)),
    layers.Dense(32, activation="elu", kernel_regularizer=keras.regularizers.l2(0.001)),
    layers.Dense(1),
])
history = compile_and_fit(l2_model, seed=2)
report("l2_n_losses", len(l2_model.losses))
report("l2_loss", history.history["loss"], tol=1e-4)
report("l2_bce_below_loss", bool(history.history["binary_crossentropy"][-1] < history.history["loss"][-1]))

dropout_model = keras.Sequential([keras.Input((FEATURES,)), layers.Dense(32, activation="elu"), layers.Dropout(0.5),
                                  layers.Dense(1)])
history = compile_and_fit(dropout_model, seed=3, max_epochs=2)
report("dropout_epochs", len(history.history["loss"]))
report("dropout_history_keys", sorted(history.history.keys()))  # dropout masks differ: no values
