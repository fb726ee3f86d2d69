"""Layers that add their own loss terms with add_loss(); layer.losses collects them."""

import capas as tf
from capas.keras import layers


class ActivityPenalty(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(inputs))
        return inputs


class Parent(layers.Layer):
    def __init__(self):
        super().__init__()
        self.penalty = ActivityPenalty(1e-2)

    def call(self, inputs):
        return self.penalty(inputs)


def main():
    layer = Parent()
    print("losses before any call:", layer.losses)
    layer(tf.ones((1, 1)))
    print("after one call:", [float(l) for l in layer.losses])  # [0.01]
    layer(tf.ones((1, 1)))
    print("after another call (reset, not accumulated):", [float(l) for l in layer.losses])
    return layer


if __name__ == "__main__":
    main()
