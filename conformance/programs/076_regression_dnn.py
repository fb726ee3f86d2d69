"""Regression of fuel efficiency: Normalization adapted on a feature matrix, a linear model and a DNN.

Source: tensorflow/docs site/en/tutorials/keras/regression.ipynb
Covers: tf.keras.layers.Normalization(axis=-1).adapt on a float matrix, its mean, normalizing the
first row, a one-feature normalizer with input_shape=[1,], the linear model (normalizer + Dense(1)),
predict before training, kernel shape, compile with Adam(learning_rate=0.1) and
loss='mean_absolute_error', fit with validation_split, history as a DataFrame-like dict, evaluate,
build_and_compile_model for the DNN (Dense(64) x 2 + Dense(1)), its summary params, predict flatten.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(76)
n = 80
train_features = np.stack([
    rng.integers(3, 9, n).astype("float64"),      # Cylinders
    rng.uniform(70, 450, n),                      # Displacement
    rng.uniform(45, 230, n),                      # Horsepower
    rng.uniform(1600, 5100, n),                   # Weight
    rng.uniform(8, 25, n),                        # Acceleration
], axis=1).astype("float32")
train_labels = (45 - 0.006 * train_features[:, 3] + rng.normal(0, 1.5, n)).astype("float32")
test_features = train_features[:20] * 1.01
test_labels = train_labels[:20]

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))
report("normalizer.mean", normalizer.mean.numpy(), tol=1e-4)
first = np.array(train_features[:1])
report("first", first, tol=1e-6)
report("normalized_first", normalizer(first).numpy(), tol=1e-4)

horsepower = np.array(train_features[:, 2])
horsepower_normalizer = layers.Normalization(input_shape=[1, ], axis=None)
horsepower_normalizer.adapt(horsepower)
horsepower_model = tf.keras.Sequential([horsepower_normalizer, layers.Dense(units=1)])
init_weights(horsepower_model, seed=1, scale=0.5)
report("horsepower_predict", horsepower_model.predict(horsepower[:10], verbose=0), tol=1e-4)
horsepower_model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1),
                         loss="mean_absolute_error")
history = horsepower_model.fit(train_features[:, 2], train_labels, epochs=5, verbose=0,
                               validation_split=0.2, shuffle=False)
hist = dict(history.history)
report("hist_keys", sorted(hist.keys()))
report("hist_loss", hist["loss"], tol=1e-3)
report("hist_val_loss", hist["val_loss"], tol=1e-3)
test_results = {}
test_results["horsepower_model"] = horsepower_model.evaluate(test_features[:, 2], test_labels, verbose=0)
report("horsepower_test_mae", test_results["horsepower_model"], tol=1e-3)

linear_model = tf.keras.Sequential([normalizer, layers.Dense(units=1)])
linear_model.build(input_shape=(None, 5))  # the tutorial builds it by predicting; weights must be set first
init_weights(linear_model, seed=2, scale=0.5)
report("linear_predict", linear_model.predict(train_features[:10], verbose=0), tol=1e-4)
report("kernel_shape", linear_model.layers[1].kernel.shape)
linear_model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
history = linear_model.fit(train_features, train_labels, epochs=5, verbose=0, validation_split=0.2,
                           shuffle=False)
report("linear_loss", history.history["loss"], tol=1e-3)
test_results["linear_model"] = linear_model.evaluate(test_features, test_labels, verbose=0)
report("linear_test_mae", test_results["linear_model"], tol=1e-3)


def build_and_compile_model(norm):
    model = keras.Sequential([
        norm,
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(loss="mean_absolute_error", optimizer=tf.keras.optimizers.Adam(0.001))
    return model


dnn_model = build_and_compile_model(normalizer)
dnn_model.build(input_shape=(None, 5))
init_weights(dnn_model, seed=3, scale=0.2)
report("dnn_trainable_params", int(sum(np.prod(w.shape) for w in dnn_model.trainable_weights)))
history = dnn_model.fit(train_features, train_labels, validation_split=0.2, verbose=0, epochs=5,
                        shuffle=False)
report("dnn_loss", history.history["loss"], tol=1e-3)
test_results["dnn_model"] = dnn_model.evaluate(test_features, test_labels, verbose=0)
report("dnn_test_mae", test_results["dnn_model"], tol=1e-3)
test_predictions = dnn_model.predict(test_features, verbose=0).flatten()
report("test_predictions.shape", test_predictions.shape)
report("test_predictions", test_predictions, tol=1e-3)
report("results_keys", sorted(test_results.keys()))
