"""Training with built-in methods: custom losses and metrics, validation tuples, class and sample weights.

Source: keras-team/keras-io guides/training_with_built_in_methods.py ("Custom losses",
"Custom metrics", "Passing data to multi-input models" is skipped, "Using a validation tuple",
"Class weights", "Sample weights") (tf.keras version: tensorflow/docs
site/en/guide/keras/training_with_built_in_methods)
Covers: a loss function and a Loss subclass passed to compile, a Metric subclass with
update_state/result/reset_state, fit with validation_data=(x, y), class_weight dict, sample_weight
array, evaluate with sample weights, the log keys and loss values of each run.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
x_train = rng.random((64, 20)).astype("float32")
y_train = rng.integers(0, 10, 64)
x_val = rng.random((16, 20)).astype("float32")
y_val = rng.integers(0, 10, 16)


def get_uncompiled_model(seed):
    inputs = keras.Input(shape=(20,), name="digits")
    x = layers.Dense(16, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(16, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    init_weights(model, seed=seed, scale=0.2)
    return model


def custom_mean_squared_error(y_true, y_pred):
    return tf.math.reduce_mean(tf.square(y_true - y_pred), axis=-1)


model = get_uncompiled_model(1)
model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)
y_train_one_hot = tf.one_hot(y_train, depth=10)
history = model.fit(x_train, y_train_one_hot, batch_size=16, epochs=2, verbose=0, shuffle=False)
report("fn_loss", history.history["loss"], tol=1e-4)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = tf.math.reduce_mean(tf.square(y_true - y_pred), axis=-1)
        reg = tf.math.reduce_mean(tf.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


model = get_uncompiled_model(2)
model.compile(optimizer=keras.optimizers.Adam(), loss=CustomMSE())
history = model.fit(x_train, y_train_one_hot, batch_size=16, epochs=2, verbose=0, shuffle=False)
report("class_loss", history.history["loss"], tol=1e-4)


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_weight(name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
        values = tf.cast(y_true, "int32") == tf.cast(y_pred, "int32")
        values = tf.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = tf.cast(sample_weight, "float32")
            values = tf.multiply(values, sample_weight)
        self.true_positives.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


model = get_uncompiled_model(3)
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=[CategoricalTruePositives()])
history = model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0, shuffle=False,
                    validation_data=(x_val, y_val))
report("metric_history_keys", sorted(history.history.keys()))
report("metric_loss", history.history["loss"], tol=1e-4)
report("metric_val_loss", history.history["val_loss"], tol=1e-4)
report("metric_ctp", history.history["categorical_true_positives"], tol=1e-4)

class_weight = {i: 1.0 for i in range(10)}
class_weight[5] = 2.0
model = get_uncompiled_model(4)
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
history = model.fit(x_train, y_train, class_weight=class_weight, batch_size=16, epochs=2,
                    verbose=0, shuffle=False)
report("class_weight_keys", sorted(history.history.keys()))
report("class_weight_loss", history.history["loss"], tol=1e-4)

sample_weight = np.ones(shape=(len(y_train),))
sample_weight[y_train == 5] = 2.0
model = get_uncompiled_model(4)
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
history = model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=16, epochs=2,
                    verbose=0, shuffle=False)
report("sample_weight_loss", history.history["loss"], tol=1e-4)
scores = model.evaluate(x_val, y_val, sample_weight=np.linspace(0.5, 1.5, 16), verbose=0)
report("weighted_evaluate", scores, tol=1e-4)
