"""Autoencoders: a subclassed dense autoencoder and a denoising convolutional one.

Source: tensorflow/docs site/en/tutorials/generative/autoencoder.ipynb
Covers: a subclassed Autoencoder(latent_dim, shape) with encoder/decoder Sequential models
(Flatten, Dense, Reshape), compile(adam, losses.MeanSquaredError()), fit x -> x with
validation_data, encoder/decoder outputs, noise added with clip_by_value, a Denoise model of
Conv2D(strides=2, padding="same") and Conv2DTranspose layers, and their output shapes.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
x_train = (rng.integers(0, 256, (32, 28, 28)) / 255.0).astype("float32")
x_test = (rng.integers(0, 256, (8, 28, 28)) / 255.0).astype("float32")


class Autoencoder(keras.Model):
    def __init__(self, latent_dim, shape):
        super().__init__()
        self.latent_dim = latent_dim
        self.shape = shape
        self.encoder = keras.Sequential([layers.Flatten(), layers.Dense(latent_dim, activation="relu")])
        self.decoder = keras.Sequential([layers.Dense(int(np.prod(shape)), activation="sigmoid"),
                                         layers.Reshape(shape)])

    def call(self, x):
        encoded = self.encoder(x)
        return self.decoder(encoded)


shape = x_test.shape[1:]
latent_dim = 8
autoencoder = Autoencoder(latent_dim, shape)
autoencoder(x_train[:1])
init_weights(autoencoder, seed=1, scale=0.05)
autoencoder.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
history = autoencoder.fit(x_train, x_train, epochs=2, batch_size=16, shuffle=False, validation_data=(x_test, x_test),
                          verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-4)
encoded_imgs = autoencoder.encoder(x_test).numpy()
decoded_imgs = autoencoder.decoder(encoded_imgs).numpy()
report("encoded.shape", encoded_imgs.shape)
report("decoded.shape", decoded_imgs.shape)
report("decoded_mean", float(decoded_imgs.mean()), tol=1e-4)

x_train_img = x_train[..., tf.newaxis]
noise_factor = 0.2
noise = tf.constant(rng.normal(size=x_train_img.shape).astype("float32"))
x_train_noisy = x_train_img + noise_factor * noise
x_train_noisy = tf.clip_by_value(x_train_noisy, clip_value_min=0.0, clip_value_max=1.0)
report("noisy_min_max", [float(tf.reduce_min(x_train_noisy)), float(tf.reduce_max(x_train_noisy))])


class Denoise(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([layers.Input(shape=(28, 28, 1)),
                                         layers.Conv2D(16, (3, 3), activation="relu", padding="same", strides=2),
                                         layers.Conv2D(8, (3, 3), activation="relu", padding="same", strides=2)])
        self.decoder = keras.Sequential([
            layers.Conv2DTranspose(8, kernel_size=3, strides=2, activation="relu", padding="same"),
            layers.Conv2DTranspose(16, kernel_size=3, strides=2, activation="relu", padding="same"),
            layers.Conv2D(1, kernel_size=(3, 3), activation="sigmoid", padding="same")])

    def call(self, x):
        return self.decoder(self.encoder(x))


denoise = Denoise()
out = denoise(x_train_noisy[:2])
report("encoder_output", denoise.encoder.outputs[0].shape)
report("denoise_out.shape", out.shape)
init_weights(denoise, seed=2, scale=0.1)
report("denoise_out_mean", float(tf.reduce_mean(denoise(x_train_noisy[:2]))), tol=1e-5)
denoise.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
history = denoise.fit(x_train_noisy, x_train_img, epochs=1, batch_size=16, shuffle=False, verbose=0)
report("denoise_loss", history.history["loss"], tol=1e-4)
