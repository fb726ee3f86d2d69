"""Regression (Auto MPG shaped data): Normalization, linear and DNN models, validation_split.

Source: tensorflow/docs site/en/tutorials/keras/regression.ipynb
Covers: a (N, 9) float feature matrix and a (N,) label, layers.Normalization(axis=-1).adapt and
its mean, a one-feature normalizer with input_shape=[1,] fed 1-D data, a linear model
(Normalization + Dense(1)) compiled with Adam(0.1) and "mean_absolute_error", fit with
validation_split=0.2 (history keys), evaluate, predict on a 1-D linspace, and a DNN variant.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
train_features = rng.normal(size=(80, 9)).astype("float32") * 10 + 50
train_labels = (train_features[:, 2] * 0.3 - train_features[:, 4] * 0.1 + rng.normal(size=80)).astype("float32")
test_features = rng.normal(size=(20, 9)).astype("float32") * 10 + 50
test_labels = (test_features[:, 2] * 0.3 - test_features[:, 4] * 0.1).astype("float32")

normalizer = layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))
report("normalizer.mean.shape", normalizer.mean.shape)
report("normalizer.mean", normalizer.mean.numpy(), tol=1e-4)
first = np.array(train_features[:1])
report("normalized_first", normalizer(first).numpy(), tol=1e-4)

horsepower = np.array(train_features[:, 2])
horsepower_normalizer = layers.Normalization(input_shape=[1, ], axis=None)
horsepower_normalizer.adapt(horsepower)
report("hp_mean.shape", horsepower_normalizer.mean.shape)
horsepower_model = keras.Sequential([horsepower_normalizer, layers.Dense(units=1)])
init_weights(horsepower_model, seed=1)
horsepower_model.layers[-1].set_weights([np.array([[0.5]], "float32"), np.array([0.1], "float32")])
report("hp_predict", horsepower_model.predict(horsepower[:3], verbose=0), tol=1e-4)
horsepower_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
history = horsepower_model.fit(train_features[:, 2], train_labels, epochs=3, verbose=0, validation_split=0.2,
                               shuffle=False)
report("hp_history_keys", sorted(history.history.keys()))
report("hp_history_loss", history.history["loss"], tol=1e-3)
x = tf.linspace(0.0, 250, 251)
y = horsepower_model.predict(x, verbose=0)
report("linspace_predict.shape", y.shape)

linear_model = keras.Sequential([normalizer, layers.Dense(units=1)])
linear_model.layers[-1].build((None, 9))
linear_model.layers[-1].set_weights([np.linspace(-0.5, 0.5, 9).reshape(9, 1).astype("float32"),
                                     np.zeros(1, "float32")])
report("linear_predict", linear_model.predict(train_features[:4], verbose=0), tol=1e-4)
report("kernel.shape", linear_model.layers[1].kernel.shape)
linear_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
history = linear_model.fit(train_features, train_labels, epochs=3, verbose=0, validation_split=0.2, shuffle=False)
report("linear_val_loss", history.history["val_loss"], tol=1e-3)
report("linear_evaluate", linear_model.evaluate(test_features, test_labels, verbose=0), tol=1e-3)


def build_and_compile_model(norm):
    model = keras.Sequential([norm, layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"),
                              layers.Dense(1)])
    model.compile(loss="mean_absolute_error", optimizer=keras.optimizers.Adam(0.001))
    return model


dnn_model = build_and_compile_model(normalizer)
dnn_model.build((None, 9))
report("dnn_params", dnn_model.count_params())
report("dnn_trainable_params", sum(int(np.prod(w.shape)) for w in dnn_model.trainable_weights))
