"""A keras.Model subclass: layers in __init__, the forward pass in call (miModelo)."""

import numpy as np

import capas as tf
from capas import keras
from capas.keras import layers


class MiModelo(keras.Model):
    def __init__(self, units=32, name="mi-modelo", **kwargs):
        super().__init__(name=name, **kwargs)
        self.capa1 = layers.Dense(units, activation="relu")
        self.capa2 = layers.Dense(1)

    def call(self, inputs):
        return tf.nn.sigmoid(self.capa2(self.capa1(inputs)))


def main(epochs=15):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(512, 2)).astype("float32")
    y = ((x**2).sum(axis=1) < 1.5).astype("float32").reshape(-1, 1)  # inside a circle
    model = MiModelo()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
    print("accuracy:", round(history.history["accuracy"][-1], 3))
    return history


if __name__ == "__main__":
    main()
