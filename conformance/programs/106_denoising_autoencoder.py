"""Convolutional autoencoder for image denoising.

Source: keras-team/keras-io examples/vision/autoencoder.py
Covers: preprocess (astype float32 / 255, np.reshape to (n, 28, 28, 1)), noise (np.clip of a
normal noise times 0.4), the functional autoencoder Input -> Conv2D(32, (3, 3), relu,
padding="same") -> MaxPooling2D((2, 2), padding="same") x2 -> Conv2D + UpSampling2D((2, 2)) x2 ->
Conv2D(1, sigmoid), Model(input, x), compile(optimizer="adam", loss="binary_crossentropy"),
fit(x=, y=, epochs=, batch_size=128, validation_data=(test, test)), predict, then a second fit on
(noisy -> clean) continuing from the first. (The example imports Input/Conv2D/... by name from
tensorflow.keras.layers; here they are layers.Input etc.; 128 training images, 2 + 2 epochs,
shuffle=False for a fixed order.)
"""
import numpy as np
from _target import init_weights, layers, keras, report

Model = keras.Model


def preprocess(dataset):
    """
    Normalizes the supplied dataset and reshapes it into the appropriate format.
    """

    dataset = dataset.astype("float32") / 255.0
    dataset = np.reshape(dataset, (len(dataset), 28, 28, 1))
    return dataset


rng = np.random.default_rng(106)


def noise(dataset):
    """
    Adds random noise to each image in the supplied dataset.
    """

    noise_factor = 0.4
    noisy_dataset = dataset + noise_factor * rng.normal(
        loc=0.0, scale=1.0, size=dataset.shape
    )

    return np.clip(noisy_dataset, 0.0, 1.0)


yy, xx = np.mgrid[0:28, 0:28]
train_dataset = np.stack([((xx - rng.integers(8, 20)) ** 2 + (yy - rng.integers(8, 20)) ** 2 < 40) * 255
                          for _ in range(128)]).astype("uint8")
test_dataset = np.stack([((xx - rng.integers(8, 20)) ** 2 + (yy - rng.integers(8, 20)) ** 2 < 40) * 255
                         for _ in range(32)]).astype("uint8")

train_dataset = preprocess(train_dataset)
test_dataset = preprocess(test_dataset)
noisy_train_dataset = noise(train_dataset)
noisy_test_dataset = noise(test_dataset)
report("datasets", [train_dataset.shape, str(train_dataset.dtype), str(noisy_train_dataset.dtype)])

input = layers.Input(shape=(28, 28, 1))

# Encoder
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)

# Decoder
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.UpSampling2D((2, 2))(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.UpSampling2D((2, 2))(x)
x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

# Autoencoder
autoencoder = Model(input, x)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
report("output_shapes", [list(layer.output.shape) for layer in autoencoder.layers])
report("count_params", autoencoder.count_params())
init_weights(autoencoder, seed=1, scale=0.1)

history = autoencoder.fit(
    x=train_dataset,
    y=train_dataset,
    epochs=2,
    batch_size=128,
    shuffle=False,
    validation_data=(test_dataset, test_dataset),
    verbose=0,
)
report("history", history.history, tol=1e-4)
predictions = autoencoder.predict(test_dataset, verbose=0)
report("predictions", [predictions.shape, predictions[0, 10:14, 10:14, 0]], tol=1e-4)

history = autoencoder.fit(
    x=noisy_train_dataset,
    y=train_dataset,
    epochs=2,
    batch_size=128,
    shuffle=False,
    validation_data=(noisy_test_dataset, test_dataset),
    verbose=0,
)
report("denoise_history", history.history, tol=1e-4)
predictions = autoencoder.predict(noisy_test_dataset, verbose=0)
report("denoised", predictions[1, 12:15, 12:15, 0], tol=1e-4)
