"""Record what TensorFlow 2.21's tf.keras.layers exports, and ThresholdedReLU's outputs.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/tfkeras_layers/record.py

Writes tfkeras_layers.json next to this file.
"""

import json
import pathlib
import sys

import numpy as np
import tensorflow as tf

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cases  # noqa: E402


def main():
    layers = tf.keras.layers
    names = sorted(n for n in dir(layers) if not n.startswith("_") and isinstance(getattr(layers, n), type))
    classes = {n: getattr(layers, n).__name__ for n in names}
    relu = []
    for theta in cases.THRESHOLDED_RELU_THETAS:
        layer = layers.ThresholdedReLU(theta=theta)
        out = np.asarray(layer(tf.constant(cases.THRESHOLDED_RELU_INPUT)))
        config = {k: v for k, v in layer.get_config().items() if k in ("theta", "trainable")}
        relu.append({"theta": theta, "output": out.tolist(), "config": config})
    goldens = {"tensorflow": tf.__version__, "classes": classes, "thresholded_relu": relu}
    (HERE / "tfkeras_layers.json").write_text(json.dumps(goldens, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
