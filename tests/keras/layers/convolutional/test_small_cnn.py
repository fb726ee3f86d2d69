"""A small CNN (Conv2D, BatchNormalization, MaxPooling2D, Dropout, Dense) trains end to end."""

import numpy as np

from capas import keras
from capas.keras import layers


def _blobs(n, seed):
    """8x8 one-channel images: class 1 has a bright square in the left half, class 0 in the right."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 0.3, (n, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 2, n)
    for i in range(n):
        row = rng.integers(0, 6)
        col = rng.integers(0, 2) if y[i] else rng.integers(4, 6)
        x[i, row : row + 3, col : col + 3, 0] += 2.0
    return x, y.astype("int64")


def test_small_cnn_learns():
    x, y = _blobs(256, 0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Conv2D(8, 3, activation="relu"),
            layers.Dropout(0.2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0).history
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    x_test, y_test = _blobs(128, 1)
    assert model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"] > 0.9
    bn = model.layers[1]
    assert np.any(bn.moving_mean.numpy() != 0)  # moving statistics were updated by fit
