"""Record what tf.keras computes for a crossentropy on a softmax/sigmoid output (the fused path).

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/speed/record.py

It writes `fused_loss.json` next to this file. tf.keras keeps the pre-activation
logits of a softmax/sigmoid output and computes a `from_logits=False` crossentropy from
them, so saturated outputs give the true loss (not the clipped -log(1e-7) = 16.12) and
non-zero gradients. Weights are set from numpy; data is fixed; nothing is shuffled.
"""

import json
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # name, activation, units, loss, scale of the kernel (large: saturated)
    ("sparse_saturated", "softmax", 3, "sparse_categorical_crossentropy", 12.0),
    ("sparse_object_saturated", "softmax", 3, "SparseCategoricalCrossentropy", 12.0),
    ("categorical_saturated", "softmax", 3, "categorical_crossentropy", 12.0),
    ("binary_saturated", "sigmoid", 1, "binary_crossentropy", 12.0),
    ("sparse_mild", "softmax", 3, "sparse_categorical_crossentropy", 0.3),
    ("binary_object_mild", "sigmoid", 1, "BinaryCrossentropy", 0.3),
]


def case_data(units):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((8, 4)).astype("float32")
    labels = rng.integers(0, max(units, 2), 8)
    return x, labels


def kernel(units, scale):
    return (np.random.default_rng(3).standard_normal((4, units)) * scale).astype("float32")


def target(loss, units, labels):
    if loss.lower().startswith("categorical"):
        return np.eye(units, dtype="float32")[labels]
    if "binary" in loss.lower():
        return labels.astype("float32").reshape(-1, 1)
    return labels


def run(name, activation, units, loss, scale):
    x, labels = case_data(units)
    y = target(loss, units, labels)
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(units, activation=activation)(inputs))
    model.set_weights([kernel(units, scale), np.zeros(units, "float32")])
    loss_obj = getattr(keras.losses, loss)() if loss[0].isupper() else loss
    model.compile(keras.optimizers.SGD(0.1), loss_obj)
    before = float(model.evaluate(x, y, batch_size=8, verbose=0))
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    return {
        "activation": activation,
        "units": units,
        "loss": loss,
        "scale": scale,
        "evaluate_loss": before,
        "fit_loss": float(history.history["loss"][0]),
        "kernel_after": model.get_weights()[0].tolist(),
    }


def main():
    out = {"tensorflow": tf.__version__, "cases": {c[0]: run(*c) for c in CASES}}
    with open(os.path.join(HERE, "fused_loss.json"), "w") as fh:
        json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
