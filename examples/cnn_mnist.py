"""A small CNN (Conv2D, MaxPooling2D, BatchNormalization, Dropout, Dense) on digit-like images.

Runs on generated 28x28 images (so it works anywhere, offline); pass --mnist to train on the
real MNIST from the capas dataset cache (fill it with scripts/get_mnist.sh).
"""

import argparse

import numpy as np

from capas import keras
from capas.keras import layers


def build_model():
    inputs = keras.Input(shape=(28, 28, 1))  # channels_last, as Keras
    x = layers.Conv2D(16, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="small_cnn")


def generated_digits(n, seed=0):
    """Images whose class is the position of a bright bar: learnable by a CNN in a few epochs."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    x = rng.random((n, 28, 28, 1)).astype("float32") * 0.3
    for i, label in enumerate(y):
        row = 2 + 2 * label
        x[i, row : row + 3, 4:24, 0] += 0.7
    return x, y


def main(epochs=3, samples=1024, use_mnist=False, verbose=0):
    if use_mnist:
        (x, y), _ = keras.datasets.mnist.load_data()
        x = x[..., None].astype("float32") / 255.0
    else:
        x, y = generated_digits(samples)
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    history = model.fit(x, y, batch_size=64, epochs=epochs, validation_split=0.1, verbose=verbose)
    print("accuracy per epoch:", np.round(history.history["accuracy"], 3))
    return history


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mnist", action="store_true")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    main(epochs=args.epochs, use_mnist=args.mnist, verbose=1)
