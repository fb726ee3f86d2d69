"""Overfitting and underfitting: L2 weight regularization, Dropout, and both combined.

Source: tensorflow/docs site/en/tutorials/keras/overfit_and_underfit.ipynb
Covers: an InverseTimeDecay learning-rate schedule, a compile_and_fit helper with
BinaryCrossentropy(from_logits=True) and the 'binary_crossentropy' metric, a tiny baseline model,
Dense(kernel_regularizer=regularizers.l2(0.001)) and the model.losses it adds, a Dropout model
(deterministic at inference), the combined L2 + Dropout model; losses reported with a tolerance,
no value that depends on random dropout masks.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

regularizers = tf.keras.regularizers
FEATURES = 28
rng = np.random.default_rng(77)
x_train = rng.normal(size=(128, FEATURES)).astype("float32")
y_train = (x_train[:, :3].sum(axis=1) > 0).astype("float32")[:, None]
x_val = rng.normal(size=(32, FEATURES)).astype("float32")
y_val = (x_val[:, :3].sum(axis=1) > 0).astype("float32")[:, None]
BATCH_SIZE = 32
STEPS_PER_EPOCH = 128 // BATCH_SIZE

lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.001, decay_steps=STEPS_PER_EPOCH * 10, decay_rate=1, staircase=False)
report("lr_schedule", [float(lr_schedule(step)) for step in [0, 40, 80, 1000]], tol=1e-6)


def get_optimizer():
    return tf.keras.optimizers.Adam(lr_schedule)


def compile_and_fit(model, name, seed, max_epochs=3):
    init_weights(model, seed=seed, scale=0.2)
    model.compile(optimizer=get_optimizer(),
                  loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[tf.keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"),
                           "accuracy"])
    history = model.fit(x_train, y_train, steps_per_epoch=STEPS_PER_EPOCH, epochs=max_epochs,
                        batch_size=BATCH_SIZE, validation_data=(x_val, y_val), shuffle=False, verbose=0)
    report(name + ".history_keys", sorted(history.history.keys()))
    return history


tiny_model = tf.keras.Sequential([
    layers.Dense(16, activation="elu", input_shape=(FEATURES,)),
    layers.Dense(1),
])
size_histories = {}
size_histories["Tiny"] = compile_and_fit(tiny_model, "tiny", seed=1)
report("tiny.loss", size_histories["Tiny"].history["loss"], tol=1e-3)
report("tiny.val_binary_crossentropy", size_histories["Tiny"].history["val_binary_crossentropy"], tol=1e-3)

l2_model = tf.keras.Sequential([
    layers.Dense(64, activation="elu", kernel_regularizer=regularizers.l2(0.001), input_shape=(FEATURES,)),
    layers.Dense(64, activation="elu", kernel_regularizer=regularizers.l2(0.001)),
    layers.Dense(1),
])
init_weights(l2_model, seed=2, scale=0.2)
l2_model(x_train[:4])
report("l2.n_losses", len(l2_model.losses))
report("l2.reg_losses", [float(l) for l in l2_model.losses], tol=1e-4)
regularizer = regularizers.l2(0.001)
report("l2.regularizer_value", float(regularizer(tf.constant([[1.0, -2.0], [3.0, 0.5]]))), tol=1e-6)
report("l2.config", regularizer.get_config(), tol=1e-6)
regularizer_histories = {}
regularizer_histories["l2"] = compile_and_fit(l2_model, "l2", seed=2)
report("l2.loss", regularizer_histories["l2"].history["loss"], tol=1e-3)
report("l2.val_loss", regularizer_histories["l2"].history["val_loss"], tol=1e-3)
report("l2.val_binary_crossentropy", regularizer_histories["l2"].history["val_binary_crossentropy"], tol=1e-3)
result = l2_model(x_val)
report("l2.result.shape", result.shape)
report("l2.loss_plus_reg", float(tf.add_n(l2_model.losses)) > 0)

dropout_model = tf.keras.Sequential([
    layers.Dense(64, activation="elu", input_shape=(FEATURES,)),
    layers.Dropout(0.5),
    layers.Dense(64, activation="elu"),
    layers.Dropout(0.5),
    layers.Dense(1),
])
init_weights(dropout_model, seed=3, scale=0.2)
report("dropout.layer_types", [type(l).__name__ for l in dropout_model.layers])
report("dropout.inference", dropout_model(x_val[:4], training=False), tol=1e-4)
report("dropout.predict_equals_call",
       bool(np.allclose(dropout_model.predict(x_val[:4], verbose=0), dropout_model(x_val[:4]).numpy(), atol=1e-6)))
dropout_layer = layers.Dropout(0.5)
ones = np.ones((4, 10), dtype="float32")
dropped = dropout_layer(ones, training=True).numpy()
report("dropout.kept_values", sorted(set(np.round(dropped.ravel(), 5).tolist())))
report("dropout.inference_identity", dropout_layer(ones, training=False))

combined_model = tf.keras.Sequential([
    layers.Dense(64, kernel_regularizer=regularizers.l2(0.0001), activation="elu", input_shape=(FEATURES,)),
    layers.Dropout(0.5),
    layers.Dense(64, kernel_regularizer=regularizers.l2(0.0001), activation="elu"),
    layers.Dropout(0.5),
    layers.Dense(1),
])
init_weights(combined_model, seed=4, scale=0.2)
report("combined.count_params", combined_model.count_params())
report("combined.n_losses", len(combined_model.losses))
report("combined.inference", combined_model(x_val[:3], training=False), tol=1e-4)
combined_model.compile(optimizer=get_optimizer(),
                       loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                       metrics=[tf.keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy")])
report("combined.evaluate", combined_model.evaluate(x_val, y_val, verbose=0), tol=1e-4)
