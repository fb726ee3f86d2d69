"""Layers made of layers: weights of the children belong to the parent (Cuadratica_v4)."""

import capas as tf
from capas.keras import layers


class Lineal(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.a = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", name="a")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return tf.matmul(inputs, self.a) + self.b


class DosCapas(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.capa1 = Lineal(units)
        self.capa2 = Lineal(units)

    def call(self, inputs):
        return self.capa2(tf.nn.relu(self.capa1(inputs)))


def main():
    layer = DosCapas(4)
    layer(tf.ones((1, 2)))
    for w in layer.trainable_weights:
        print(w.name, tuple(w.shape))  # dos_capas/lineal/a:0 (2, 4) ...
    return layer


if __name__ == "__main__":
    main()
