"""Making new layers and models via subclassing: weights, add_loss, get_config, training flag.

Source: keras-team/keras-io guides/making_new_layers_and_models_via_subclassing.py
(tf.keras version: tensorflow/docs site/en/guide/keras/custom_layers_and_models)
Covers: a Linear layer with add_weight, non-trainable weights, deferred build, layers nested in
layers, an ActivityRegularizationLayer using add_loss (layer.losses reset on each call, losses
collected by the outer layer and added to fit's loss), kernel_regularizer losses, get_config and
from_config of a custom layer, a custom Dropout honouring the training argument, and a
LogisticEndpoint layer that computes its loss with add_loss (Keras 3: no add_metric).
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


x = tf.ones((2, 2))
linear_layer = Linear(4)
y = linear_layer(x)
report("linear_y", y)
report("linear_weights", len(linear_layer.weights))


class ComputeSum(layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


my_sum = ComputeSum(2)
x = tf.ones((2, 2))
y = my_sum(x)
y = my_sum(x)
report("sum_total", y)
report("sum_counts", [len(my_sum.weights), len(my_sum.non_trainable_weights), len(my_sum.trainable_weights)])


class MLPBlock(layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(8)
        self.linear_2 = Linear(4)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = tf.nn.relu(x)
        x = self.linear_2(x)
        x = tf.nn.relu(x)
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(tf.ones(shape=(3, 5)))
report("mlp_weights", len(mlp.weights))
report("mlp_trainable", len(mlp.trainable_weights))
report("mlp_y", y)


class ActivityRegularizationLayer(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_mean(inputs))
        return inputs


class OuterLayer(layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


layer = OuterLayer()
report("losses_before", len(layer.losses))
_ = layer(tf.zeros((1, 1)))
report("losses_after_one", len(layer.losses))
_ = layer(tf.ones((1, 1)) * 3.0)
report("losses_after_two", len(layer.losses))
report("loss_value", layer.losses[0], tol=1e-6)


class OuterLayerWithKernelRegularizer(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4, kernel_regularizer=keras.regularizers.l2(1e-3), kernel_initializer="ones")

    def call(self, inputs):
        return self.dense(inputs)


layer = OuterLayerWithKernelRegularizer()
_ = layer(tf.zeros((1, 3)))
report("kernel_reg_losses", layer.losses, tol=1e-6)

rng = np.random.default_rng(0)
inputs = keras.Input(shape=(3,))
outputs = ActivityRegularizationLayer()(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
xr = rng.random((4, 3)).astype("float32")
yr = rng.random((4, 3)).astype("float32")
report("fit_with_add_loss", model.fit(xr, yr, verbose=0, shuffle=False).history["loss"], tol=1e-5)

layer = Linear(64)
config = layer.get_config()
report("config_keys", sorted(config.keys()))
report("config_units", config["units"])
new_layer = Linear.from_config(config)
report("from_config_units", new_layer.units)
report("from_config_name", new_layer.name == layer.name)


class CustomDropout(layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        if training:
            return tf.nn.dropout(inputs, rate=self.rate)
        return inputs


drop = CustomDropout(0.5)
xd = tf.ones((2, 8))
report("dropout_inference", drop(xd, training=False))
out = np.asarray(drop(xd, training=True))
report("dropout_training_values", sorted(set(np.round(out.ravel(), 4).tolist()) - {0.0}))


class LogisticEndpoint(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        loss = self.loss_fn(targets, logits, sample_weights)
        self.add_loss(loss)
        return tf.nn.softmax(logits)


layer = LogisticEndpoint()
targets = tf.ones((2, 2))
logits = tf.ones((2, 2))
y = layer(targets, logits)
report("endpoint_y", y)
report("endpoint_losses", layer.losses, tol=1e-6)

inputs = keras.Input(shape=(3,), name="inputs")
targets = keras.Input(shape=(10,), name="targets")
logits = keras.layers.Dense(10)(inputs)
predictions = LogisticEndpoint(name="predictions")(targets, logits)
model = keras.Model(inputs=[inputs, targets], outputs=predictions)
init_weights(model, seed=1)
model.compile(optimizer="adam")
data = {"inputs": rng.random((3, 3)).astype("float32"),
        "targets": rng.random((3, 10)).astype("float32")}
history = model.fit(data, epochs=2, verbose=0, shuffle=False)
report("endpoint_fit_keys", sorted(history.history.keys()))
report("endpoint_fit_loss", history.history["loss"], tol=1e-5)
