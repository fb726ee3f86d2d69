"""Training and evaluation with the built-in methods: compile, fit, evaluate, predict and options.

Source: keras-team/keras-io guides/training_with_built_in_methods.py
(tensorflow/docs site/en/guide/keras/training_with_built_in_methods)
Covers: a functional model, compile with RMSprop + SparseCategoricalCrossentropy +
SparseCategoricalAccuracy, fit with validation_data (history keys and values), evaluate, predict
shapes, a custom loss function, a custom metric class, add_loss from a layer, class_weight,
sample_weight, and a tf.data Dataset fed to fit with steps_per_epoch.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
x_train = rng.random((96, 784)).astype("float32")
y_train = rng.integers(0, 10, 96).astype("float32")
x_val, y_val = x_train[-32:], y_train[-32:]
x_train, y_train = x_train[:-32], y_train[:-32]


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(32, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(32, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    init_weights(model, seed=1, scale=0.1)
    return model


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.RMSprop(),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
history = model.fit(x_train, y_train, batch_size=16, epochs=2, validation_data=(x_val, y_val),
                    verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
report("history_val_loss", history.history["val_loss"], tol=1e-3)
results = model.evaluate(x_val, y_val, batch_size=16, verbose=0)
report("evaluate", results, tol=1e-3)
predictions = model.predict(x_val[:3], verbose=0)
report("predictions.shape", predictions.shape)
report("predictions.type", type(predictions).__name__)
report("evaluate_dict_keys", sorted(model.evaluate(x_val, y_val, verbose=0, return_dict=True).keys()))


def custom_mean_squared_error(y_true, y_pred):
    return tf.math.reduce_mean(tf.square(y_true - y_pred), axis=-1)


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)
y_train_one_hot = tf.one_hot(y_train.astype("int32"), depth=10)
history = model.fit(x_train, y_train_one_hot, batch_size=16, epochs=1, verbose=0, shuffle=False)
report("custom_loss_history", history.history["loss"], tol=1e-3)


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
        values = tf.cast(tf.cast(y_true, "int32") == tf.cast(y_pred, "int32"), "float32")
        self.true_positives.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(), metrics=[CategoricalTruePositives()])
history = model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0, shuffle=False)
report("custom_metric_keys", sorted(history.history.keys()))


class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(tf.reduce_sum(inputs) * 0.1)
        return inputs


inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(8, activation="relu", name="dense_1")(inputs)
x = ActivityRegularizationLayer()(x)
outputs = layers.Dense(10, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
init_weights(model, seed=2, scale=0.05)
model.compile(optimizer=keras.optimizers.SGD(1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0, shuffle=False)
report("add_loss_history", history.history["loss"], tol=1e-3)

class_weight = {i: 1.0 for i in range(10)}
class_weight[5] = 2.0
model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(x_train, y_train, class_weight=class_weight, batch_size=64, epochs=1, verbose=0, shuffle=False)
report("class_weight_loss", history.history["loss"], tol=1e-4)
sample_weight = np.ones(shape=(len(y_train),))
sample_weight[y_train == 5] = 2.0
model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=64, epochs=1, verbose=0, shuffle=False)
report("sample_weight_loss", history.history["loss"], tol=1e-4)

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(16)
model = get_uncompiled_model()
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
history = model.fit(train_dataset.repeat(), epochs=2, steps_per_epoch=3, verbose=0)
report("dataset_history_keys", sorted(history.history.keys()))
report("dataset_history_loss", history.history["loss"], tol=1e-4)
report("optimizer_iterations", int(model.optimizer.iterations.numpy()))
