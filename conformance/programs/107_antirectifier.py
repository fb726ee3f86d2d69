"""Simple custom layer example: Antirectifier.

Source: keras-team/keras-io examples/keras_recipes/antirectifier.py
Covers: a Layer taking an initializer name (keras.initializers.get), build adding a
(output_dim * 2, output_dim) "kernel" with add_weight(initializer=, name=, trainable=True), call with
in-place `inputs -=` of tf.reduce_mean(keepdims=True), tf.nn.relu, tf.concat and tf.matmul, get_config
with keras.initializers.serialize merged into the base config, Sequential(Input(784), Dense(256),
Antirectifier(), ...), SparseCategoricalCrossentropy(from_logits=True), RMSprop(),
SparseCategoricalAccuracy, fit(validation_split=0.15), evaluate; from_config round trip.
(Weights are reported by path: their names are a listed difference, docs/differences.md; Dense(32) instead of 256; 160 samples, 2 epochs; Dropout(0.5) makes trained numbers
framework-specific, so values are compared before training and in inference.)
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf


class Antirectifier(layers.Layer):
    def __init__(self, initializer="he_normal", **kwargs):
        super(Antirectifier, self).__init__(**kwargs)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(output_dim * 2, output_dim),
            initializer=self.initializer,
            name="kernel",
            trainable=True,
        )

    def call(self, inputs):
        inputs -= tf.reduce_mean(inputs, axis=-1, keepdims=True)
        pos = tf.nn.relu(inputs)
        neg = tf.nn.relu(-inputs)
        concatenated = tf.concat([pos, neg], axis=-1)
        mixed = tf.matmul(concatenated, self.kernel)
        return mixed

    def get_config(self):
        # Implement get_config to enable serialization. This is optional.
        base_config = super(Antirectifier, self).get_config()
        config = {"initializer": keras.initializers.serialize(self.initializer)}
        return dict(list(base_config.items()) + list(config.items()))


batch_size = 128
num_classes = 10
epochs = 2

rng = np.random.default_rng(107)
x_train = rng.integers(0, 256, size=(160, 28, 28)).astype("uint8")
y_train = rng.integers(0, 10, size=(160,)).astype("uint8")
x_test = rng.integers(0, 256, size=(40, 28, 28)).astype("uint8")
y_test = rng.integers(0, 10, size=(40,)).astype("uint8")

x_train = x_train.reshape(-1, 784)
x_test = x_test.reshape(-1, 784)
x_train = x_train.astype("float32")
x_test = x_test.astype("float32")
x_train /= 255
x_test /= 255

layer = Antirectifier()
out = layer(tf.constant([[1.0, -2.0, 3.0], [0.5, 0.5, 0.5]]))
report("layer_weights", [[w.path, list(w.shape), w.trainable] for w in layer.weights])
report("out.shape", out.shape)
layer.set_weights([np.arange(18, dtype="float32").reshape(6, 3) / 10])
report("antirectified", layer(tf.constant([[1.0, -2.0, 3.0], [0.5, 0.5, 0.5]])), tol=1e-5)
config = layer.get_config()
report("config_initializer", config["initializer"])
report("config_keys", sorted(config))
clone = Antirectifier.from_config(config)
report("clone_initializer", type(clone.initializer).__name__)

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(32),
        Antirectifier(),
        layers.Dense(32),
        Antirectifier(),
        layers.Dropout(0.5),
        layers.Dense(10),
    ]
)
report("count_params", model.count_params())
init_weights(model, seed=1, scale=0.05)

model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
report("logits_before", model.predict(x_test[:3], verbose=0), tol=1e-4)
report("evaluate_before", model.evaluate(x_test, y_test, verbose=0), tol=1e-4)
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.15,
                    verbose=0, shuffle=False)
report("history_keys", sorted(history.history.keys()))
report("evaluate_len", len(model.evaluate(x_test, y_test, verbose=0)))
