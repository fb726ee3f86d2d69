"""Record what real TensorFlow / tf.keras does for the kerasfit tests.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/kerasfit/record.py

It writes `golden.json` and `tf_model.h5` (a tiny model saved by tf.keras in
the legacy HDF5 format) next to this file. The programs are deterministic:
weights are set from numpy, data is fixed, nothing is shuffled.

The capas-written `.h5` round trip is a two-step flow:

    PYTHONPATH=$PWD /work/main/.venv/bin/python tests/goldens/kerasfit/write_capas_h5.py
    /work/tfvenv/bin/python tests/goldens/kerasfit/record.py

The first command writes `capas_model.h5` with capas; this script then loads
it with tf.keras and stores TF's predictions for it under `capas_h5` (it is
skipped, with a note, when that file is absent).
"""

import json
import os
import warnings

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = {}


def data(n, d, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)).astype("float32")


def weights(shape, seed):
    return (np.random.default_rng(seed).standard_normal(shape) * 0.3).astype("float32")


def floats(history):
    return {k: [float(v) for v in vals] for k, vals in history.items()}


def to_py(value):
    if isinstance(value, dict):  # kept as [key, value] pairs: the key order is part of the golden
        return [[k, float(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return float(value)


X = data(16, 3, 0)
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.1).astype("float32")
XV, YV = data(8, 3, 1), data(8, 1, 2)


def single_model():
    inp = keras.Input(shape=(3,))
    out = layers.Dense(1, name="d")(inp)
    model = keras.Model(inp, out)
    model.get_layer("d").set_weights([weights((3, 1), 10), np.zeros(1, "float32")])
    return model


# 1. metrics=["mae"]: Keras 3 keeps the user's string as the log name.
m = single_model()
m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, validation_data=(XV, YV), verbose=0)
OUT["single"] = {
    "history": floats(h.history),
    "history_keys": list(h.history),
    "evaluate": to_py(m.evaluate(XV, YV, batch_size=4, verbose=0)),
    "evaluate_dict": to_py(m.evaluate(XV, YV, batch_size=4, verbose=0, return_dict=True)),
    "metrics_names": m.metrics_names,
}


# 2. Multi-output: per-output losses and metrics next to `loss`.
def multi_model():
    a = keras.Input(shape=(3,), name="title")
    b = keras.Input(shape=(2,), name="body")
    z = layers.Concatenate()([a, b])
    priority = layers.Dense(1, name="priority")(z)
    department = layers.Dense(3, activation="softmax", name="department")(z)
    model = keras.Model([a, b], [priority, department])
    model.get_layer("priority").set_weights([weights((5, 1), 20), np.zeros(1, "float32")])
    model.get_layer("department").set_weights([weights((5, 3), 21), np.zeros(3, "float32")])
    return model


XA, XB = data(12, 3, 3), data(12, 2, 4)
YP = data(12, 1, 5)
YD = np.eye(3, dtype="float32")[np.arange(12) % 3]
for key, compile_kwargs in {
    "multi_dict": dict(
        loss={"priority": "mse", "department": "categorical_crossentropy"},
        loss_weights={"priority": 1.0, "department": 0.2},
        metrics={"priority": ["mae"], "department": ["accuracy"]},
    ),
    "multi_list": dict(
        loss=["mse", "categorical_crossentropy"],
        metrics=[["mae", "mse"], ["accuracy"]],
    ),
}.items():
    m = multi_model()
    m.compile(optimizer=keras.optimizers.SGD(0.05), **compile_kwargs)
    h = m.fit(
        {"title": XA, "body": XB},
        {"priority": YP, "department": YD},
        batch_size=4,
        epochs=2,
        shuffle=False,
        validation_data=([XA[:8], XB[:8]], [YP[:8], YD[:8]]),
        verbose=0,
    )
    OUT[key] = {
        "history": floats(h.history),
        "history_keys": list(h.history),
        "evaluate": to_py(m.evaluate([XA, XB], [YP, YD], batch_size=4, verbose=0)),
        "evaluate_dict": to_py(m.evaluate([XA, XB], [YP, YD], batch_size=4, verbose=0, return_dict=True)),
        "metrics_names": m.metrics_names,
    }


# 3. Custom train_step / test_step (keras-io "Customizing what happens in fit()").
class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def custom(cls):
    inp = keras.Input(shape=(3,))
    out = layers.Dense(1, name="d")(inp)
    model = cls(inp, out)
    model.get_layer("d").set_weights([weights((3, 1), 10), np.zeros(1, "float32")])
    return model


m = custom(CustomModel)
m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
OUT["custom_step"] = {
    "history": floats(h.history),
    "history_keys": list(h.history),
    "evaluate": to_py(m.evaluate(XV, YV, batch_size=4, verbose=0)),
    "evaluate_dict": to_py(m.evaluate(XV, YV, batch_size=4, verbose=0, return_dict=True)),
    "metrics_names": m.metrics_names,
}


class TrackerModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


m = custom(TrackerModel)
m.compile(optimizer=keras.optimizers.SGD(0.01))
h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
OUT["tracker_step"] = {"history": floats(h.history), "history_keys": list(h.history)}


# 4. steps_per_epoch on finite arrays: the epoch ends early when the data runs out.
class Count(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.per_epoch = []

    def on_epoch_begin(self, epoch, logs=None):
        self.per_epoch.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.per_epoch[-1] += 1


X64 = data(64, 3, 6)
Y64 = data(64, 1, 7)
m = single_model()
m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
count = Count()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    h = m.fit(
        X64,
        Y64,
        batch_size=4,
        epochs=5,
        steps_per_epoch=5,
        shuffle=False,
        verbose=0,
        callbacks=[count],
        validation_data=(X64[:20], Y64[:20]),
        validation_steps=2,
    )
OUT["steps_per_epoch"] = {
    "batches_per_epoch": count.per_epoch,
    "history_keys": list(h.history),
    "history": floats(h.history),
    "warnings": [str(w.message) for w in caught],
}
m = single_model()
m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
count = Count()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    m.fit(
        tf.data.Dataset.from_tensor_slices((X64, Y64)).batch(4),
        epochs=5,
        steps_per_epoch=5,
        verbose=0,
        callbacks=[count],
    )
OUT["steps_per_epoch_dataset"] = {
    "batches_per_epoch": count.per_epoch,
    "warnings": sum("ran out of data" in str(w.message) for w in caught),
}
m2 = single_model()
m2.compile(optimizer="sgd", loss="mse")
OUT["validation_steps_evaluate"] = to_py(m2.evaluate(X64[:20], Y64[:20], batch_size=4, steps=2, verbose=0))

# 5. A 1-D array feeds Input(shape=(1,)).
inp = keras.Input(shape=(1,))
out = layers.Dense(1, name="d")(inp)
m = keras.Model(inp, out)
m.get_layer("d").set_weights([np.array([[0.5]], "float32"), np.array([0.1], "float32")])
m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
x1 = np.linspace(-1, 1, 8).astype("float32")
y1 = (3 * x1 - 1).astype("float32")
h = m.fit(x1, y1, batch_size=4, epochs=2, shuffle=False, verbose=0)
pred = m.predict(x1, verbose=0)
OUT["input_1d"] = {"history": floats(h.history), "predict": pred.tolist(), "predict_shape": list(pred.shape)}

# 6. Normalization shapes and to_categorical's dtype.
norm_data = data(20, 9, 8)
n1 = layers.Normalization(axis=-1)
n1.adapt(norm_data)
n2 = layers.Normalization(axis=None)
n2.adapt(norm_data[:, 0])
OUT["normalization"] = {
    "axis_last": {
        "mean_shape": list(n1.mean.shape),
        "variance_shape": list(n1.variance.shape),
        "mean": np.asarray(n1.mean).tolist(),
        "variance": np.asarray(n1.variance).tolist(),
        "output": np.asarray(n1(norm_data[:2])).tolist(),
    },
    "axis_none": {
        "mean_shape": list(n2.mean.shape),
        "variance_shape": list(n2.variance.shape),
        "mean": np.asarray(n2.mean).tolist(),
        "variance": np.asarray(n2.variance).tolist(),
    },
}
OUT["to_categorical"] = {
    "dtype": str(keras.utils.to_categorical([0, 2, 1]).dtype),
    "dtype_classes": str(keras.utils.to_categorical([0, 2, 1], num_classes=4).dtype),
}


# 7. Unknown names: which call fails, with which error type.
def failure(**compile_kwargs):
    model = single_model()
    try:
        model.compile(**compile_kwargs)
    except Exception as e:  # noqa: BLE001
        return {"stage": "compile", "type": type(e).__name__}
    try:
        model.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    except Exception as e:  # noqa: BLE001
        return {"stage": "fit", "type": type(e).__name__}
    return {"stage": "none", "type": None}


OUT["unknown_names"] = {
    "loss": failure(optimizer="sgd", loss="mean_squard_error"),
    "metric": failure(optimizer="sgd", loss="mse", metrics=["maee"]),
    "optimizer": failure(optimizer="adamm", loss="mse"),
}

# 8. The legacy .h5 whole-model format.
h5_model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        layers.Dense(5, activation="relu", name="hidden"),
        layers.Dense(2, activation="softmax", name="out"),
    ]
)
h5_model.get_layer("hidden").set_weights([weights((4, 5), 30), weights((5,), 31)])
h5_model.get_layer("out").set_weights([weights((5, 2), 32), weights((2,), 33)])
h5_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
h5_x = data(3, 4, 34)
h5_model.save(os.path.join(HERE, "tf_model.h5"))
OUT["tf_h5"] = {"x": h5_x.tolist(), "predict": h5_model.predict(h5_x, verbose=0).tolist()}


# 9. A Metric subclass whose result() is its state variable (keras-io "Custom metrics",
# CategoricalTruePositives): the training log is read at on_epoch_end, after validation has
# reset and updated the same metric, so it shows the validation count (Keras 3 does this).
class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_weight(name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
        values = tf.cast(tf.cast(y_true, "int32") == tf.cast(y_pred, "int32"), "float32")
        self.true_positives.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


def ctp_model():
    inp = keras.Input(shape=(5,))
    out = layers.Dense(4, activation="softmax", name="d")(inp)
    model = keras.Model(inp, out)
    model.get_layer("d").set_weights([weights((5, 4), 40), weights((4,), 41)])
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[CategoricalTruePositives()],
    )
    return model


CX, CY = data(24, 5, 42), np.random.default_rng(43).integers(0, 4, 24)
CXV, CYV = data(8, 5, 44), np.random.default_rng(45).integers(0, 4, 8)
h_val = ctp_model().fit(CX, CY, batch_size=8, epochs=2, shuffle=False, validation_data=(CXV, CYV), verbose=0)
h_plain = ctp_model().fit(CX, CY, batch_size=8, epochs=2, shuffle=False, verbose=0)
OUT["variable_result_metric"] = {
    "with_validation": floats(h_val.history),
    "without_validation": floats(h_plain.history),
}


# 10. Multi-output fit + evaluate where one output's CategoricalCrossentropy(from_logits=True) gets
# multi-hot labels (rows not summing to one): TF's fused softmax_cross_entropy_with_logits
# gradient is softmax - labels, whatever the label sums (the functional API guide's model).
def multi_hot_model():
    inp = keras.Input(shape=(6,))
    hidden = layers.Dense(5, activation="tanh", name="h")(inp)
    priority = layers.Dense(1, name="priority")(hidden)
    department = layers.Dense(3, name="department")(hidden)
    model = keras.Model(inp, [priority, department])
    for i, layer in enumerate(("h", "priority", "department")):
        kernel, bias = model.get_layer(layer).get_weights()
        model.get_layer(layer).set_weights([weights(kernel.shape, 50 + 2 * i), weights(bias.shape, 51 + 2 * i)])
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-2),
        loss=[
            keras.losses.BinaryCrossentropy(from_logits=True),
            keras.losses.CategoricalCrossentropy(from_logits=True),
        ],
        loss_weights=[1.0, 0.2],
    )
    return model


MX = data(16, 6, 60)
MP = np.random.default_rng(61).random((16, 1))
MD = np.random.default_rng(62).integers(2, size=(16, 3))
mh = multi_hot_model()
h = mh.fit(MX, [MP, MD], batch_size=8, epochs=3, shuffle=False, verbose=0)
OUT["multi_hot_logits"] = {
    "history": floats(h.history),
    "evaluate": to_py(mh.evaluate(MX, [MP, MD], batch_size=8, verbose=0)),
}

capas_file = os.path.join(HERE, "capas_model.h5")
if os.path.exists(capas_file):
    loaded = keras.models.load_model(capas_file)
    inputs = json.load(open(os.path.join(HERE, "capas_model_inputs.json")))
    OUT["capas_h5"] = {
        "predict": loaded.predict(np.array(inputs["x"], "float32"), verbose=0).tolist(),
        "compiled": bool(loaded.compiled),
        "optimizer": type(loaded.optimizer).__name__ if loaded.optimizer is not None else None,
        "learning_rate": float(loaded.optimizer.learning_rate) if loaded.optimizer is not None else None,
        "loss": getattr(loaded.loss, "__name__", str(loaded.loss)),
    }
else:
    print("capas_model.h5 not found: run write_capas_h5.py first to record TF's reading of it.")

with open(os.path.join(HERE, "golden.json"), "w") as f:
    json.dump(OUT, f, indent=1, sort_keys=True)
print("wrote", os.path.join(HERE, "golden.json"))
