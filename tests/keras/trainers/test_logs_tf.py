"""Logs, metrics, epochs and inputs as real TF 2.21 / Keras 3 runs them.

The programs mirror `tests/goldens/kerasfit/record.py` (same data, weights and
calls, imports changed); the expected values are what TF recorded there.
"""

import json
import os
import warnings

import numpy as np
import pytest

import capas as tf
from capas import keras
from capas.keras import layers

with open(os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "kerasfit", "golden.json")) as _f:
    GOLDEN = json.load(_f)


def data(n, d, seed):
    return np.random.default_rng(seed).standard_normal((n, d)).astype("float32")


def weights(shape, seed):
    return (np.random.default_rng(seed).standard_normal(shape) * 0.3).astype("float32")


def floats(history):
    return {k: [float(v) for v in vals] for k, vals in history.items()}


def to_py(value):
    if isinstance(value, dict):
        return [[k, float(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return float(value)


def assert_close(ours, theirs, tol=1e-5):
    if isinstance(theirs, dict):  # golden.json sorts its keys: the order is checked from *_keys lists
        assert sorted(ours) == sorted(theirs)
        for k in theirs:
            assert_close(ours[k], theirs[k], tol)
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), (ours, theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b, tol)
    elif isinstance(theirs, str):
        assert ours == theirs
    else:
        assert ours == pytest.approx(theirs, rel=tol, abs=tol)


X = data(16, 3, 0)
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.1).astype("float32")
XV, YV = data(8, 3, 1), data(8, 1, 2)


def single_model(cls=None):
    inp = keras.Input(shape=(3,))
    out = layers.Dense(1, name="d")(inp)
    model = (cls or keras.Model)(inp, out)
    model.get_layer("d").set_weights([weights((3, 1), 10), np.zeros(1, "float32")])
    return model


def test_metric_string_is_the_log_name():
    golden = GOLDEN["single"]
    m = single_model()
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, validation_data=(XV, YV), verbose=0)
    assert list(h.history) == golden["history_keys"]
    assert_close(floats(h.history), golden["history"])
    assert_close(to_py(m.evaluate(XV, YV, batch_size=4, verbose=0)), golden["evaluate"])
    assert_close(to_py(m.evaluate(XV, YV, batch_size=4, verbose=0, return_dict=True)), golden["evaluate_dict"])
    assert m.metrics_names == golden["metrics_names"]


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
MULTI = {
    "multi_dict": {
        "loss": {"priority": "mse", "department": "categorical_crossentropy"},
        "loss_weights": {"priority": 1.0, "department": 0.2},
        "metrics": {"priority": ["mae"], "department": ["accuracy"]},
    },
    "multi_list": {
        "loss": ["mse", "categorical_crossentropy"],
        "metrics": [["mae", "mse"], ["accuracy"]],
    },
}


@pytest.mark.parametrize("key", sorted(MULTI))
def test_multi_output_logs(key):
    golden = GOLDEN[key]
    m = multi_model()
    m.compile(optimizer=keras.optimizers.SGD(0.05), **MULTI[key])
    h = m.fit(
        {"title": XA, "body": XB},
        {"priority": YP, "department": YD},
        batch_size=4,
        epochs=2,
        shuffle=False,
        validation_data=([XA[:8], XB[:8]], [YP[:8], YD[:8]]),
        verbose=0,
    )
    assert list(h.history) == golden["history_keys"]
    assert_close(floats(h.history), golden["history"])
    assert_close(to_py(m.evaluate([XA, XB], [YP, YD], batch_size=4, verbose=0)), golden["evaluate"])
    assert_close(
        to_py(m.evaluate([XA, XB], [YP, YD], batch_size=4, verbose=0, return_dict=True)), golden["evaluate_dict"]
    )
    assert m.metrics_names == golden["metrics_names"]


class CustomModel(keras.Model):
    """keras-io "Customizing what happens in fit()", imports changed."""

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


def test_custom_steps_see_loss_tracker_and_compiled_metrics():
    golden = GOLDEN["custom_step"]
    m = single_model(CustomModel)
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert list(h.history) == golden["history_keys"]  # ['mae', 'loss']: Keras sorts the nested logs
    assert_close(floats(h.history), golden["history"])
    assert_close(to_py(m.evaluate(XV, YV, batch_size=4, verbose=0)), golden["evaluate"])
    assert_close(to_py(m.evaluate(XV, YV, batch_size=4, verbose=0, return_dict=True)), golden["evaluate_dict"])
    assert m.metrics_names == golden["metrics_names"]


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


def test_own_trackers_are_reset_per_epoch():
    m = single_model(TrackerModel)
    m.compile(optimizer=keras.optimizers.SGD(0.01))
    h = m.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert list(h.history) == GOLDEN["tracker_step"]["history_keys"]
    assert_close(floats(h.history), GOLDEN["tracker_step"]["history"])


class Count(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.per_epoch = []

    def on_epoch_begin(self, epoch, logs=None):
        self.per_epoch.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.per_epoch[-1] += 1


def test_steps_per_epoch_ends_epoch_when_arrays_run_out():
    golden = GOLDEN["steps_per_epoch"]
    x64, y64 = data(64, 3, 6), data(64, 1, 7)
    m = single_model()
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    count = Count()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = m.fit(
            x64,
            y64,
            batch_size=4,
            epochs=5,
            steps_per_epoch=5,
            shuffle=False,
            verbose=0,
            callbacks=[count],
            validation_data=(x64[:20], y64[:20]),
            validation_steps=2,
        )
    assert count.per_epoch == golden["batches_per_epoch"]
    assert list(h.history) == golden["history_keys"]
    assert_close(floats(h.history), golden["history"])
    messages = [str(w.message) for w in caught]
    assert [m for m in messages if "ran out of data" in m] == golden["warnings"]


def test_evaluate_steps_reads_only_those_batches():
    x64, y64 = data(64, 3, 6), data(64, 1, 7)
    m = single_model()
    m.compile(optimizer="sgd", loss="mse")
    assert_close(
        to_py(m.evaluate(x64[:20], y64[:20], batch_size=4, steps=2, verbose=0)), GOLDEN["validation_steps_evaluate"]
    )


def test_1d_array_feeds_input_of_shape_1():
    golden = GOLDEN["input_1d"]
    inp = keras.Input(shape=(1,))
    out = layers.Dense(1, name="d")(inp)
    m = keras.Model(inp, out)
    m.get_layer("d").set_weights([np.array([[0.5]], "float32"), np.array([0.1], "float32")])
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    x1 = np.linspace(-1, 1, 8).astype("float32")
    y1 = (3 * x1 - 1).astype("float32")
    h = m.fit(x1, y1, batch_size=4, epochs=2, shuffle=False, verbose=0)
    pred = m.predict(x1, verbose=0)
    assert_close(floats(h.history), golden["history"])
    assert list(pred.shape) == golden["predict_shape"]
    assert_close(pred.tolist(), golden["predict"])


def test_normalization_adapt_shapes():
    golden = GOLDEN["normalization"]
    norm_data = data(20, 9, 8)
    n1 = layers.Normalization(axis=-1)
    n1.adapt(norm_data)
    n2 = layers.Normalization(axis=None)
    n2.adapt(norm_data[:, 0])
    for layer, g in ((n1, golden["axis_last"]), (n2, golden["axis_none"])):
        assert list(layer.mean.shape) == g["mean_shape"]
        assert list(layer.variance.shape) == g["variance_shape"]
        assert_close(np.asarray(layer.mean).tolist(), g["mean"])
        assert_close(np.asarray(layer.variance).tolist(), g["variance"])
    assert_close(np.asarray(n1(norm_data[:2])).tolist(), golden["axis_last"]["output"], tol=1e-4)


def test_to_categorical_is_float64():
    golden = GOLDEN["to_categorical"]
    assert str(keras.utils.to_categorical([0, 2, 1]).dtype) == golden["dtype"]
    assert str(keras.utils.to_categorical([0, 2, 1], num_classes=4).dtype) == golden["dtype_classes"]


@pytest.mark.parametrize(
    "kind,kwargs,close",
    [
        ("loss", {"optimizer": "sgd", "loss": "mean_squard_error"}, "mean_squared_error"),
        ("metric", {"optimizer": "sgd", "loss": "mse", "metrics": ["maee"]}, "mae"),
        ("optimizer", {"optimizer": "adamm", "loss": "mse"}, "adam"),
    ],
)
def test_unknown_names_fail_at_compile_with_close_matches(kind, kwargs, close):
    # TF raises the same error type; for losses and metrics it raises at the first
    # batch, capas already at compile (docs/keras_logs.md).
    expected = GOLDEN["unknown_names"][kind]["type"]
    m = single_model()
    with pytest.raises(Exception) as info:
        m.compile(**kwargs)
    assert type(info.value).__name__ == expected
    assert close in str(info.value)


def test_steps_per_epoch_on_a_finite_dataset_reads_one_stream():
    x64, y64 = data(64, 3, 6), data(64, 1, 7)
    ds = tf.data.Dataset.from_tensor_slices((x64, y64)).batch(4)
    m = single_model()
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    count = Count()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.fit(ds, epochs=5, steps_per_epoch=5, verbose=0, callbacks=[count])
    golden = GOLDEN["steps_per_epoch_dataset"]
    assert count.per_epoch == golden["batches_per_epoch"]
    assert sum("ran out of data" in str(w.message) for w in caught) == golden["warnings"]


class CategoricalTruePositives(keras.metrics.Metric):
    """keras-io "Custom metrics": result() hands back the state variable itself."""

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


def test_metric_returning_its_variable_is_read_after_validation():
    # Keras reads the epoch logs at on_epoch_end: validation has reset and refilled the metric by then.
    golden = GOLDEN["variable_result_metric"]
    h = ctp_model().fit(CX, CY, batch_size=8, epochs=2, shuffle=False, validation_data=(CXV, CYV), verbose=0)
    assert_close(floats(h.history), golden["with_validation"])
    h = ctp_model().fit(CX, CY, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert_close(floats(h.history), golden["without_validation"])


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


def test_multi_output_fit_with_multi_hot_logit_labels_follows_tf():
    # TF's fused softmax cross-entropy gradient is softmax - labels even when labels do not sum to one.
    golden = GOLDEN["multi_hot_logits"]
    mx = data(16, 6, 60)
    mp = np.random.default_rng(61).random((16, 1))
    md = np.random.default_rng(62).integers(2, size=(16, 3))
    model = multi_hot_model()
    h = model.fit(mx, [mp, md], batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert_close(floats(h.history), golden["history"])
    assert_close(to_py(model.evaluate(mx, [mp, md], batch_size=8, verbose=0)), golden["evaluate"])
