"""Variational AutoEncoder: a Sampling layer and a Model with a custom train_step on GradientTape.

Source: keras-team/keras-io examples/generative/vae.py (the tf.keras version)
Covers: a Sampling layer (tf.shape, a random normal epsilon, tf.exp), the encoder (Conv2D strides=2
padding="same", Flatten, Dense, named z_mean/z_log_var Dense layers, keras.Model with three outputs
and name="encoder"), the decoder (Dense 7*7*64, Reshape, Conv2DTranspose strides=2, a sigmoid
Conv2DTranspose), a VAE(keras.Model) with Mean trackers returned by a `metrics` property, train_step
with tf.GradientTape, keras.losses.binary_crossentropy summed over axis=(1, 2), the KL term,
self.optimizer.apply_gradients(zip(grads, self.trainable_weights)), compile(Adam()), fit(x, epochs=,
batch_size=128) without targets, decoder.predict on a latent grid, encoder.predict.
(MNIST-shaped synthetic digits, 256 of them, 2 epochs; the example's
tf.keras.backend.random_normal is keras.random.normal, what tf.keras 3 provides; the sampled z is
random, so numbers are compared through z_mean, z_log_var, the decoder and the losses of a fixed z.)
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


latent_dim = 2

encoder_inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Flatten()(x)
x = layers.Dense(16, activation="relu")(x)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
report("encoder", [encoder.name, encoder.count_params(), [list(o.shape) for o in encoder.outputs]])

latent_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
x = layers.Reshape((7, 7, 64))(x)
x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")
report("decoder", [decoder.name, decoder.count_params(),
                   [list(layer.output.shape) for layer in decoder.layers]])


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super(VAE, self).__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(
            name="reconstruction_loss"
        )
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.reconstruction_loss_tracker,
            self.kl_loss_tracker,
        ]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = tf.reduce_mean(
                tf.reduce_sum(
                    keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2)
                )
            )
            kl_loss = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
            kl_loss = tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {
            "loss": self.total_loss_tracker.result(),
            "reconstruction_loss": self.reconstruction_loss_tracker.result(),
            "kl_loss": self.kl_loss_tracker.result(),
        }

    def call(self, x):
        z_mean, z_log_var, z = self.encoder(x)
        return self.decoder(z)


rng = np.random.default_rng(104)
x_train = rng.integers(0, 256, size=(192, 28, 28)).astype("uint8")
x_test = rng.integers(0, 256, size=(64, 28, 28)).astype("uint8")
mnist_digits = np.concatenate([x_train, x_test], axis=0)
mnist_digits = np.expand_dims(mnist_digits, -1).astype("float32") / 255
report("digits", [mnist_digits.shape, str(mnist_digits.dtype)])

init_weights(encoder, seed=1, scale=0.05)
init_weights(decoder, seed=2, scale=0.05)
zm, zlv, zz = encoder.predict(mnist_digits[:4], verbose=0)
report("z_mean", zm, tol=1e-4)
report("z_log_var", zlv, tol=1e-4)
report("z_shape", zz.shape)

# The losses of train_step for a fixed z (z = z_mean): what the tape differentiates.
reconstruction = decoder(zm)
report("reconstruction_corner", reconstruction[:, :2, :2, 0], tol=1e-4)
bce = keras.losses.binary_crossentropy(mnist_digits[:4], reconstruction)
report("bce_shape", bce.shape)
reconstruction_loss = tf.reduce_mean(tf.reduce_sum(bce, axis=(1, 2)))
kl_loss = -0.5 * (1 + zlv - tf.square(zm) - tf.exp(zlv))
kl_loss = tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))
report("losses", [reconstruction_loss, kl_loss], tol=1e-4)

vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
history = vae.fit(mnist_digits, epochs=2, batch_size=128, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_len", [len(v) for _, v in sorted(history.history.items())])
report("metric_names", [m.name for m in vae.metrics])
report("iterations", int(vae.optimizer.iterations.numpy()))
report("vae_call_shape", vae(mnist_digits[:3]).shape)

n = 3
grid_x = np.linspace(-1.0, 1.0, n)
grid_y = np.linspace(-1.0, 1.0, n)[::-1]
shapes = []
for i, yi in enumerate(grid_y):
    for j, xi in enumerate(grid_x):
        z_sample = np.array([[xi, yi]])
        x_decoded = vae.decoder.predict(z_sample, verbose=0)
        digit = x_decoded[0].reshape(28, 28)
        shapes.append(digit.shape)
report("grid_shapes", shapes)
z_mean, _, _ = vae.encoder.predict(mnist_digits[:10], verbose=0)
report("encoded", [z_mean.shape, str(z_mean.dtype)])
