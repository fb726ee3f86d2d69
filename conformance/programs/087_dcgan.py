"""Deep convolutional GAN: a generator and a discriminator trained with two tapes and two optimizers.

Source: tensorflow/docs site/en/tutorials/generative/dcgan.ipynb
Covers: MNIST-shaped images scaled to [-1, 1], a Sequential generator built with model.add
(Dense without bias, BatchNormalization, LeakyReLU, Reshape, Conv2DTranspose with strides and
'same' padding, tanh) with its output_shape asserts, a discriminator (Conv2D strides 2,
LeakyReLU, Dropout, Flatten, Dense), BinaryCrossentropy(from_logits=True) generator and
discriminator losses with ones_like/zeros_like, two Adam(1e-4) optimizers, a tf.train.Checkpoint
of both models and optimizers, a @tf.function train_step with two GradientTapes, training over a
batched dataset, checkpoint.save and restore(latest_checkpoint). The tutorial's step draws noise
and applies Dropout, so the numbers compared are those of fixed noise in inference mode and of the
generator in training mode (batch statistics); after training, shapes and counts.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, layers, report, tf

rng = np.random.default_rng(87)
train_images = rng.integers(0, 256, (32, 28, 28)).astype("uint8")
train_images = train_images.reshape(train_images.shape[0], 28, 28, 1).astype('float32')
train_images = (train_images - 127.5) / 127.5  # Normalize the images to [-1, 1]
report("train_images_range", [float(train_images.min()), float(train_images.max())])

BUFFER_SIZE = 32
BATCH_SIZE = 32
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).shuffle(BUFFER_SIZE).batch(BATCH_SIZE)


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 7 * 256, use_bias=False, input_shape=(100,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Reshape((7, 7, 256)))
    assert model.output_shape == (None, 7, 7, 256)  # Note: None is the batch size

    model.add(layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding='same', use_bias=False))
    assert model.output_shape == (None, 7, 7, 128)
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    assert model.output_shape == (None, 14, 14, 64)
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding='same', use_bias=False, activation='tanh'))
    assert model.output_shape == (None, 28, 28, 1)

    return model


generator = make_generator_model()
init_weights(generator, seed=1, scale=0.03)
report("generator_layers", [type(l).__name__ for l in generator.layers])
report("generator_params", [generator.count_params(), len(generator.trainable_variables),
                            len(generator.non_trainable_variables)])

noise = tf.random.normal([1, 100])
report("noise.shape", noise.shape)
noise = tf.constant(rng.normal(size=(1, 100)).astype("float32"))
generated_image = generator(noise, training=False)
report("generated_image.shape", generated_image.shape)
report("generated_image[0, 10:14, 10:14, 0]", generated_image[0, 10:14, 10:14, 0], tol=1e-4)


def make_discriminator_model():
    model = tf.keras.Sequential()
    model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding='same',
                            input_shape=[28, 28, 1]))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))

    model.add(layers.Conv2D(128, (5, 5), strides=(2, 2), padding='same'))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))

    model.add(layers.Flatten())
    model.add(layers.Dense(1))

    return model


discriminator = make_discriminator_model()
init_weights(discriminator, seed=2, scale=0.05)
decision = discriminator(generated_image)
report("decision", decision, tol=1e-4)
report("discriminator_params", discriminator.count_params())

cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    total_loss = real_loss + fake_loss
    return total_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


generator_optimizer = tf.keras.optimizers.Adam(1e-4)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)

checkpoint_dir = os.path.join(tempfile.mkdtemp(), 'training_checkpoints')
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")
checkpoint = tf.train.Checkpoint(generator_optimizer=generator_optimizer,
                                 discriminator_optimizer=discriminator_optimizer,
                                 generator=generator,
                                 discriminator=discriminator)

EPOCHS = 2
noise_dim = 100
num_examples_to_generate = 16
seed = tf.random.normal([num_examples_to_generate, noise_dim])
report("seed.shape", seed.shape)

# The losses and gradients of one step with fixed noise, the generator in training mode
# (BatchNormalization uses batch statistics) and the discriminator in inference mode.
fixed_noise = tf.constant(rng.normal(size=(BATCH_SIZE, noise_dim)).astype("float32"))
images = tf.constant(train_images[:BATCH_SIZE])
with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
    generated_images = generator(fixed_noise, training=True)
    real_output = discriminator(images, training=False)
    fake_output = discriminator(generated_images, training=False)
    gen_loss = generator_loss(fake_output)
    disc_loss = discriminator_loss(real_output, fake_output)
report("fixed_losses", [gen_loss, disc_loss], tol=1e-4)
gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
report("gen_grad_norms", [tf.norm(g) for g in gradients_of_generator], tol=1e-3)
report("disc_grad_norms", [tf.norm(g) for g in gradients_of_discriminator], tol=1e-3)


@tf.function
def train_step(images):
    noise = tf.random.normal([BATCH_SIZE, noise_dim])

    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated_images = generator(noise, training=True)

        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated_images, training=True)

        gen_loss = generator_loss(fake_output)
        disc_loss = discriminator_loss(real_output, fake_output)

    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)

    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))


def generate_and_save_images(model, epoch, test_input):
    # Notice `training` is set to False.
    # This is so all layers run in inference mode (batchnorm).
    predictions = model(test_input, training=False)
    report("predictions_epoch_%s" % epoch, [predictions.shape, predictions.dtype,
                                            bool(tf.reduce_all(tf.abs(predictions) <= 1.0))])


def train(dataset, epochs):
    for epoch in range(epochs):
        for image_batch in dataset:
            train_step(image_batch)

        # Produce images for the GIF as you go
        generate_and_save_images(generator, epoch + 1, seed)

        # Save the model every epoch
        checkpoint.save(file_prefix=checkpoint_prefix)

    # Generate after the final epoch
    generate_and_save_images(generator, "final", seed)


train(train_dataset, EPOCHS)
report("optimizer_iterations", [int(generator_optimizer.iterations.numpy()),
                                int(discriminator_optimizer.iterations.numpy())])
latest = tf.train.latest_checkpoint(checkpoint_dir)
report("latest_checkpoint", os.path.basename(latest))
before = generator(seed, training=False).numpy()
for v in generator.trainable_variables:
    v.assign(tf.zeros_like(v))
status = checkpoint.restore(latest)
after = generator(seed, training=False).numpy()
report("restored_same_output", bool(np.allclose(before, after, atol=1e-6)))
