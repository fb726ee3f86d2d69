"""A custom layer whose weights are created in build(), at the first call (Cuadratica_v3)."""

import capas as tf
from capas.keras import layers


class Cuadratica(layers.Layer):
    """input^2 * a + input * b + c, with a, b, c sized from the first input."""

    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        # Called once, with the shape of the first input: input_shape[-1] is the feature count.
        self.a = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", name="a")
        self.b = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", name="b")
        self.c = self.add_weight(shape=(self.units,), initializer="zeros", name="c")

    def call(self, inputs):
        return tf.matmul(tf.math.square(inputs), self.a) + tf.matmul(inputs, self.b) + self.c


def main():
    layer = Cuadratica(4)
    print("built before the call:", layer.built)
    y = layer(tf.ones((2, 3)))
    print("output shape:", tuple(y.shape))
    print(layer.trainable_weights[2])  # <tf.Variable 'cuadratica/c:0' shape=(4,) ...>
    return layer


if __name__ == "__main__":
    main()
