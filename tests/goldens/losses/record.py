"""Record TensorFlow's softmax cross-entropy values and gradients for the capas tests.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/losses/record.py

For each label kind of `cases.py` it stores, for `tf.nn.softmax_cross_entropy_with_logits` and
for `keras.losses.CategoricalCrossentropy(from_logits=True)` (sum over the batch mean), the
loss and the gradients with respect to the logits and the labels, as TF's GradientTape gives them,
and the logits' gradient of the same loss computed from `keras.activations.softmax(logits)`.
"""

import json
import os
import sys

import tensorflow as tf
from tensorflow import keras

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402

OUT = {"recorded_with": f"tensorflow {tf.__version__}"}
for kind in cases.KINDS:
    logits = tf.Variable(cases.logits())
    labels = tf.Variable(cases.labels(kind))
    with tf.GradientTape(persistent=True) as tape:
        per_example = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        weighted = tf.reduce_sum(per_example * tf.constant([1.0, 2.0, 0.5, 1.0, 3.0]))
        keras_loss = keras.losses.CategoricalCrossentropy(from_logits=True)(labels, logits)
        # A softmax output with from_logits=False: tf.keras uses the logits behind it (`_keras_logits`).
        softmax_loss = keras.losses.CategoricalCrossentropy()(labels, keras.activations.softmax(logits))
    OUT[kind] = {
        "nn_loss": per_example.numpy().tolist(),
        "nn_grad_logits": tape.gradient(weighted, logits).numpy().tolist(),
        "nn_grad_labels": tape.gradient(weighted, labels).numpy().tolist(),
        "keras_loss": float(keras_loss),
        "keras_grad_logits": tape.gradient(keras_loss, logits).numpy().tolist(),
        "keras_softmax_grad_logits": tape.gradient(softmax_loss, logits).numpy().tolist(),
    }

with open(os.path.join(HERE, "softmax_xent.json"), "w") as f:
    json.dump(OUT, f, indent=1, sort_keys=True)
print("wrote", os.path.join(HERE, "softmax_xent.json"))
