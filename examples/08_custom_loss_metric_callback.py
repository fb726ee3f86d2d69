"""Your own loss (a function and a Loss subclass), metric and callback, used by compile/fit."""

import numpy as np

import capas as tf
from capas import keras
from capas.keras import layers


def mean_squared(y_true, y_pred):
    """Way 1: any function of (y_true, y_pred) returning one value per sample."""
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


class RegularizedSquaredError(keras.losses.Loss):
    """Way 2: a Loss subclass; the base class applies sample weights and the reduction."""

    def __init__(self, factor=0.1, name="regularized_squared_error"):
        super().__init__(name=name)
        self.factor = factor

    def call(self, y_true, y_pred):
        return mean_squared(y_true, y_pred) + self.factor * tf.reduce_mean(tf.square(0.5 - y_pred), axis=-1)


class MaxAbsError(keras.metrics.Metric):
    """A stateful metric: the largest absolute error seen in the epoch."""

    def __init__(self, name="max_abs_error", **kwargs):
        super().__init__(name=name, **kwargs)
        self.worst = self.add_variable(shape=(), initializer="zeros", name="worst")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.worst.assign(tf.maximum(self.worst, tf.reduce_max(tf.abs(y_true - y_pred))))

    def result(self):
        return self.worst

    def reset_state(self):
        self.worst.assign(0.0)


class PrintEveryEpoch(keras.callbacks.Callback):
    """A callback: print the loss at the end of every epoch."""

    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch}: loss={logs['loss']:.4f} max_abs_error={logs['max_abs_error']:.3f}")


def main(epochs=3):
    rng = np.random.default_rng(0)
    x = rng.random((256, 8)).astype("float32")
    y = np.eye(4, dtype="float32")[np.argmax(x[:, :4], axis=1)]
    for loss in (mean_squared, RegularizedSquaredError(0.1)):
        inputs = keras.Input((8,))
        model = keras.Model(inputs, layers.Dense(4, activation="softmax")(inputs))
        model.compile(optimizer="adam", loss=loss, metrics=[MaxAbsError()])
        model.fit(x, y, epochs=epochs, verbose=0, callbacks=[PrintEveryEpoch()])
    return model


if __name__ == "__main__":
    main()
