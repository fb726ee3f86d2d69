"""The seed's first model: the functional API, compiled by type and by name, trained on toy data."""

import numpy as np

import capas as tf  # noqa: F401  (the tutorial's import line)
from capas import keras
from capas.keras import layers


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def main():
    rng = np.random.default_rng(0)
    x = rng.random((512, 784)).astype("float32")
    y = np.argmax(x @ rng.normal(size=(784, 10)), axis=1)

    # Compile "by type": objects.
    model = get_uncompiled_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    model.summary()
    history = model.fit(x, y, batch_size=64, epochs=5, verbose=0)
    print("loss per epoch:", np.round(history.history["loss"], 3))

    # Compile "by name": the same model, the same numbers.
    same = get_uncompiled_model()
    same.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
    print("evaluate [loss, accuracy]:", np.round(model.evaluate(x, y, verbose=0), 3))
    return history


if __name__ == "__main__":
    main()
