"""Customizing what happens in fit(): train_step / test_step overrides with metrics.

Source: keras-team/keras-io guides/custom_train_step_in_tensorflow.py
(tensorflow/docs site/en/guide/keras/customizing_what_happens_in_fit)
Covers: a CustomModel.train_step using self.compute_loss and self.metrics (compiled "mae"),
returned logs, a lower-level version with its own loss_tracker / mae_metric trackers and
the metrics property, sample weights in train_step, a custom test_step with evaluate.
"""
import numpy as np
from _target import init_weights, keras, report, tf

rng = np.random.default_rng(0)
x = rng.random((64, 32)).astype("float32")
y = rng.random((64, 1)).astype("float32")


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def make(cls):
    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = cls(inputs, outputs)
    init_weights(model, seed=1)
    return model


model = make(CustomModel)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-4)
report("history_mae", history.history["mae"], tol=1e-4)
report("metric_names", [m.name for m in model.metrics])

loss_tracker = keras.metrics.Mean(name="loss")
mae_metric = keras.metrics.MeanAbsoluteError(name="mae")


class LowLevelModel(keras.Model):
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
        self.optimizer.apply(gradients, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


model = make(LowLevelModel)
model.compile(optimizer="adam")
history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
report("lowlevel_keys", sorted(history.history.keys()))
report("lowlevel_loss", history.history["loss"], tol=1e-4)
report("lowlevel_mae", history.history["mae"], tol=1e-4)


class WeightedModel(keras.Model):
    def train_step(self, data):
        x, y, sample_weight = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}


sw = rng.random((64, 1)).astype("float32")
model = make(WeightedModel)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(x, y, sample_weight=sw, epochs=2, batch_size=16, verbose=0, shuffle=False)
report("weighted_loss", history.history["loss"], tol=1e-4)


class EvalModel(keras.Model):
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


model = make(EvalModel)
model.compile(loss="mse", metrics=["mae"])
result = model.evaluate(x, y, batch_size=16, verbose=0)
report("evaluate_len", len(result))
report("evaluate", result, tol=1e-5)
