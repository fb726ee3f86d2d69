"""Convolutional variational autoencoder: encoder/decoder Sequentials, reparameterization, ELBO loss.

Source: tensorflow/docs site/en/tutorials/generative/cvae.ipynb
Covers: binarized MNIST-shaped images (np.where), batched tf.data, a CVAE keras.Model holding two
Sequentials started by InputLayer(input_shape=...) (Conv2D strides 2, Flatten, Dense; Dense,
Reshape, Conv2DTranspose), tf.split(num_or_size_splits=2, axis=1), the reparameterization trick
with tf.random.normal(shape=mean.shape) and tf.exp, a @tf.function sample method with an eps
argument and tf.sigmoid, log_normal_pdf with tf.math.log(2. * np.pi), a loss from
tf.nn.sigmoid_cross_entropy_with_logits and reduce_sum over axis=[1, 2, 3], a @tf.function
train_step taking the model and the optimizer, and the test ELBO with keras.metrics.Mean.
(Random eps values are replaced by fixed numbers so both frameworks compute the same loss.)
"""
import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(95)
train_images = rng.integers(0, 256, (64, 28, 28)).astype("uint8")
test_images = rng.integers(0, 256, (32, 28, 28)).astype("uint8")


def preprocess_images(images):
    images = images.reshape((images.shape[0], 28, 28, 1)) / 255.
    return np.where(images > .5, 1.0, 0.0).astype('float32')


train_images = preprocess_images(train_images)
test_images = preprocess_images(test_images)
report("train_images", [list(train_images.shape), str(train_images.dtype), float(train_images.mean())])

train_size = 64
batch_size = 32
test_size = 32
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices(test_images).batch(batch_size)

FIXED_EPS = rng.normal(size=(batch_size, 2)).astype("float32")


class CVAE(tf.keras.Model):
    """Convolutional variational autoencoder."""

    def __init__(self, latent_dim):
        super(CVAE, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(input_shape=(28, 28, 1)),
                tf.keras.layers.Conv2D(
                    filters=32, kernel_size=3, strides=(2, 2), activation='relu'),
                tf.keras.layers.Conv2D(
                    filters=64, kernel_size=3, strides=(2, 2), activation='relu'),
                tf.keras.layers.Flatten(),
                # No activation
                tf.keras.layers.Dense(latent_dim + latent_dim),
            ]
        )

        self.decoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(input_shape=(latent_dim,)),
                tf.keras.layers.Dense(units=7 * 7 * 32, activation=tf.nn.relu),
                tf.keras.layers.Reshape(target_shape=(7, 7, 32)),
                tf.keras.layers.Conv2DTranspose(
                    filters=64, kernel_size=3, strides=2, padding='same',
                    activation='relu'),
                tf.keras.layers.Conv2DTranspose(
                    filters=32, kernel_size=3, strides=2, padding='same',
                    activation='relu'),
                # No activation
                tf.keras.layers.Conv2DTranspose(
                    filters=1, kernel_size=3, strides=1, padding='same'),
            ]
        )

    @tf.function
    def sample(self, eps=None):
        if eps is None:
            eps = tf.random.normal(shape=(100, self.latent_dim))
        return self.decode(eps, apply_sigmoid=True)

    def encode(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=mean.shape)
        eps = eps * 0.0 + FIXED_EPS[:mean.shape[0]]  # fixed numbers in place of the random ones
        return eps * tf.exp(logvar * .5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = self.decoder(z)
        if apply_sigmoid:
            probs = tf.sigmoid(logits)
            return probs
        return logits


optimizer = tf.keras.optimizers.Adam(1e-3)


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2. * np.pi)
    return tf.reduce_sum(
        -.5 * ((sample - mean) ** 2. * tf.exp(-logvar) + logvar + log2pi),
        axis=raxis)


def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=[1, 2, 3])
    logpz = log_normal_pdf(z, 0., 0.)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)


@tf.function
def train_step(model, x, optimizer):
    """Executes one training step and returns the loss."""
    with tf.GradientTape() as tape:
        loss = compute_loss(model, x)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


epochs = 2
latent_dim = 2
num_examples_to_generate = 16
random_vector_for_generation = tf.random.normal(
    shape=[num_examples_to_generate, latent_dim])
report("random_vector.shape", random_vector_for_generation.shape)
model = CVAE(latent_dim)
init_weights(model, seed=11, scale=0.05)
report("n_weights", [len(model.weights), len(model.encoder.weights), len(model.decoder.weights)])
report("encoder_output_shape", model.encoder.output_shape)
report("decoder_output_shape", model.decoder.output_shape)
report("log_normal_pdf", log_normal_pdf(tf.constant([[0.5, -1.0]]), 0., 0.), tol=1e-6)

for test_batch in test_dataset.take(1):
    test_sample = test_batch[0:num_examples_to_generate, :, :, :]
mean, logvar = model.encode(test_sample)
report("mean[:3]", mean[:3], tol=1e-4)
report("logvar[:3]", logvar[:3], tol=1e-4)
z = model.reparameterize(mean, logvar)
predictions = model.sample(z)
report("predictions", [predictions.shape, predictions.dtype])
report("predictions[0, 13, 10:14, 0]", predictions[0, 13, 10:14, 0], tol=1e-4)
report("initial_loss", compute_loss(model, test_sample), tol=(1e-5, 1e-4))

for epoch in range(1, epochs + 1):
    for train_x in train_dataset:
        train_step(model, train_x, optimizer)
    loss = tf.keras.metrics.Mean()
    for test_x in test_dataset:
        loss(compute_loss(model, test_x))
    elbo = -loss.result()
    report("elbo_epoch_%d" % epoch, elbo, tol=(1e-5, 1e-4))
report("iterations", int(optimizer.iterations.numpy()))
generated = model.sample(random_vector_for_generation)
report("generated", [generated.shape, bool(tf.reduce_all((generated >= 0) & (generated <= 1)))])
