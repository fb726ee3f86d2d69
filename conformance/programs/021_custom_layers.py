"""Custom layers: built-in layers, a Dense written with add_weight, and a ResNet identity block.

Source: tensorflow/docs site/en/tutorials/customization/custom_layers.ipynb
Covers: layers.Dense(10) called on ones, layer.variables / kernel / bias, a MyDenseLayer with
build + add_weight, trainable_variables names, a composite ResnetIdentityBlock (Conv2D +
BatchNormalization) as a keras.Model, its layer count, output shape, and a Sequential version.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

layer = layers.Dense(10)
out = layer(tf.zeros([10, 5]))
report("dense_out", out)
report("n_variables", len(layer.variables))
report("kernel.shape", layer.kernel.shape)
report("bias.shape", layer.bias.shape)


class MyDenseLayer(layers.Layer):
    def __init__(self, num_outputs):
        super().__init__()
        self.num_outputs = num_outputs

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[int(input_shape[-1]), self.num_outputs])

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)


layer = MyDenseLayer(10)
_ = layer(tf.zeros([10, 5]))
report("my_dense_vars", [(var.name, list(var.shape)) for var in layer.trainable_variables])
layer.set_weights([np.arange(50, dtype="float32").reshape(5, 10) / 50.0])
report("my_dense_call", layer(tf.ones([1, 5])), tol=1e-6)


class ResnetIdentityBlock(keras.Model):
    def __init__(self, kernel_size, filters):
        super().__init__(name="")
        filters1, filters2, filters3 = filters
        self.conv2a = layers.Conv2D(filters1, (1, 1))
        self.bn2a = layers.BatchNormalization()
        self.conv2b = layers.Conv2D(filters2, kernel_size, padding="same")
        self.bn2b = layers.BatchNormalization()
        self.conv2c = layers.Conv2D(filters3, (1, 1))
        self.bn2c = layers.BatchNormalization()

    def call(self, input_tensor, training=False):
        x = self.conv2a(input_tensor)
        x = self.bn2a(x, training=training)
        x = tf.nn.relu(x)
        x = self.conv2b(x)
        x = self.bn2b(x, training=training)
        x = tf.nn.relu(x)
        x = self.conv2c(x)
        x = self.bn2c(x, training=training)
        x += input_tensor
        return tf.nn.relu(x)


block = ResnetIdentityBlock(1, [1, 2, 3])
x = tf.constant(np.linspace(-1, 1, 2 * 3 * 3).reshape(1, 2, 3, 3).astype("float32"))
_ = block(tf.zeros([1, 2, 3, 3]))
report("n_layers", len(block.layers))
report("layer_types", [type(l).__name__ for l in block.layers])
report("n_variables", len(block.variables))
report("n_trainable", len(block.trainable_variables))
init_weights(block, seed=3)
report("block_out", block(x), tol=1e-5)
report("block_out_training", block(x, training=True), tol=1e-4)

my_seq = keras.Sequential([layers.Conv2D(1, (1, 1), input_shape=(None, None, 3)),
                           layers.BatchNormalization(),
                           layers.Conv2D(2, 1, padding="same"),
                           layers.BatchNormalization(),
                           layers.Conv2D(3, (1, 1)),
                           layers.BatchNormalization()])
out = my_seq(tf.zeros([1, 2, 3, 3]))
report("seq_out.shape", out.shape)
report("seq_params", my_seq.count_params())
