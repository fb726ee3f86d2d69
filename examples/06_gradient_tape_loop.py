"""A custom training loop with GradientTape: the compiled loss plus the layers' own losses."""

import numpy as np

import capas as tf
from capas import keras
from capas.keras import layers


def main(epochs=5):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 20)).astype("float32")
    y = np.argmax(x @ rng.normal(size=(20, 3)), axis=1)
    batches = [(x[i : i + 32], y[i : i + 32]) for i in range(0, 256, 32)]

    inputs = keras.Input(shape=(20,))
    hidden = layers.Dense(32, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4))(inputs)
    model = keras.Model(inputs, layers.Dense(3)(hidden))

    optimizer = tf.keras.optimizers.SGD(learning_rate=1e-2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for epoch in range(epochs):
        losses = []
        for x_batch, y_batch in batches:
            with tf.GradientTape() as tape:
                logits = model(x_batch, training=True)
                loss_value = loss_fn(y_batch, logits)
                loss_value += sum(model.losses)  # the regularization terms
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            losses.append(float(loss_value))
        print(f"epoch {epoch}: loss {np.mean(losses):.4f}")
    return model


if __name__ == "__main__":
    main()
