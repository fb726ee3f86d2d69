"""Record TensorFlow's square roots and the optimizers' steps that take them.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/optimizers/record.py

It writes `goldens.json` next to this file: `tf.sqrt` of `cases.sqrt_inputs()` (as float32
bit patterns: TF's root is the correctly rounded one, on AVX-512 and AVX2 machines alike), and each optimizer of
`cases.OPTIMIZERS` after `cases.STEPS` steps of `apply_gradients` on CPU.
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402


def main():
    roots = tf.sqrt(tf.constant(cases.sqrt_inputs())).numpy()
    out = {"tensorflow": tf.__version__, "sqrt_bits": roots.view(np.uint32).tolist(), "optimizers": []}
    inits, grads = cases.optimizer_inputs()
    for name, config in cases.OPTIMIZERS:
        variables = [tf.Variable(x) for x in inits]
        opt = getattr(tf.keras.optimizers, name)(**config)
        for step in grads:
            opt.apply_gradients(zip([tf.constant(g) for g in step], variables))
        out["optimizers"].append({"name": name, "config": config, "weights": [v.numpy().tolist() for v in variables]})
    with open(os.path.join(HERE, "goldens.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
