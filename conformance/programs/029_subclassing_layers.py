"""Making new layers and models via subclassing.

Source: keras-team/keras-io guides/making_new_layers_and_models_via_subclassing.py
(tensorflow/docs site/en/guide/keras/making_new_layers_and_models_via_subclassing)
Covers: a Linear layer with add_weight, weights equal [w, b], a non-trainable ComputeSum,
lazy build from input shape, nested MLPBlock weight counts, add_loss in call and layer.losses
reset per call, get_config / from_config, training argument (CustomDropout at inference), and a
small VAE-like model whose call adds a KL term.
"""
import numpy as np
from _target import keras, layers, report, tf


class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="ones", trainable=True)
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


x = tf.ones((2, 2))
linear_layer = Linear(4, 2)
report("linear", linear_layer(x))
report("weights_are_w_b", [w.shape for w in linear_layer.weights])


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


my_sum = ComputeSum(2)
my_sum(x)
report("compute_sum", my_sum(x).numpy())
report("sum_weights", [len(my_sum.weights), len(my_sum.non_trainable_weights), len(my_sum.trainable_weights)])


class LazyLinear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


lazy = LazyLinear(3)
report("lazy_built_before", lazy.built)
report("lazy_out", lazy(tf.ones((2, 5))))
report("lazy_built_after", lazy.built)
config = lazy.get_config()
report("config", config)
report("from_config_units", LazyLinear.from_config(config).units)


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = LazyLinear(32)
        self.linear_2 = LazyLinear(32)
        self.linear_3 = LazyLinear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = tf.nn.relu(x)
        x = self.linear_2(x)
        x = tf.nn.relu(x)
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(tf.ones(shape=(3, 64)))
report("mlp_weights", len(mlp.weights))
report("mlp_trainable", len(mlp.trainable_weights))
report("mlp_out", y)


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


layer = OuterLayer()
_ = layer(tf.zeros(1, 1))
report("losses_after_zero_call", [float(l) for l in layer.losses])
_ = layer(tf.ones((1, 1)))
report("losses_after_second_call", [float(l) for l in layer.losses])


class OuterLayerWithKernelRegularizer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(32, kernel_regularizer=keras.regularizers.l2(1e-3),
                                        kernel_initializer="ones")

    def call(self, inputs):
        return self.dense(inputs)


layer = OuterLayerWithKernelRegularizer()
_ = layer(tf.zeros((1, 1)))
report("kernel_reg_losses", [float(l) for l in layer.losses], tol=1e-6)


class CustomDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        if training:
            return tf.nn.dropout(inputs, rate=self.rate)
        return inputs


report("dropout_inference", CustomDropout(0.5)(tf.ones((2, 3)), training=False))
report("dropout_training_shape", CustomDropout(0.5)(tf.ones((2, 3)), training=True).shape)


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        return z_mean + tf.exp(0.5 * z_log_var) * 0.0


class Encoder(layers.Layer):
    def __init__(self, latent_dim=4, intermediate_dim=8, name="encoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu", kernel_initializer="ones")
        self.dense_mean = layers.Dense(latent_dim, kernel_initializer="ones")
        self.dense_log_var = layers.Dense(latent_dim, kernel_initializer="zeros")
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.dense_proj(inputs)
        z_mean = self.dense_mean(x)
        z_log_var = self.dense_log_var(x)
        return z_mean, z_log_var, self.sampling((z_mean, z_log_var))


class VariationalAutoEncoder(keras.Model):
    def __init__(self, original_dim, name="autoencoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.encoder = Encoder()
        self.decoder = layers.Dense(original_dim, activation="sigmoid", kernel_initializer="ones")

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        reconstructed = self.decoder(z)
        kl_loss = -0.5 * tf.reduce_mean(z_log_var - tf.square(z_mean) - tf.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed


vae = VariationalAutoEncoder(6)
data = np.linspace(0, 0.1, 12).reshape(2, 6).astype("float32")
out = vae(data)
report("vae_out", out, tol=1e-5)
report("vae_losses", [float(l) for l in vae.losses], tol=1e-5)
report("vae_n_weights", len(vae.weights))
