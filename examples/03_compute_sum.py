"""A layer with a non-trainable variable that accumulates state (ComputeSum)."""

import capas as tf
from capas.keras import layers


class ComputeSum(layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        # A raw tf.Variable assigned as an attribute is a weight of the layer.
        self.total = tf.Variable(initial_value=tf.zeros((input_dim,)), trainable=False)

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


def main():
    my_sum = ComputeSum(2)
    x = tf.ones((2, 2))
    print(my_sum(x).numpy())  # [2. 2.]
    print(my_sum(x).numpy())  # [4. 4.]
    print("non-trainable weights:", len(my_sum.non_trainable_weights))
    return my_sum


if __name__ == "__main__":
    main()
