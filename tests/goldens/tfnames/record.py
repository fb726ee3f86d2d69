"""Record TensorFlow's public names (the `tf` namespace and its submodules) for `scripts/tf_coverage.py`.

Run with the TensorFlow virtual environment (never from tests or CI):

    /work/tfvenv/bin/python tests/goldens/tfnames/record.py

It writes `tf_names.json` next to this file: for each namespace, its public names. `tf.keras`
and its aliases are left to `scripts/keras_coverage.py`; `tf.raw_ops` (TF's kernel-level ops),
`tf.compat` and the TPU/XLA/MLIR/Lite/DTensor tool modules are left out.
"""

import json
import os
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf

# Submodules of `tf` not walked: Keras (keras_coverage.py), TF 1 compatibility, kernel-level ops, and
# tool chains for other runtimes. They still count as one name each at the top level.
NOT_WALKED = {
    "keras",
    "compat",
    "raw_ops",
    "estimator",
    "lite",
    "tools",
    "tpu",
    "xla",
    "mlir",
    "dtensor",
    "experimental",
}
# Keras namespaces that TF re-exports under short names (tf.losses is keras.losses, ...).
KERAS_ALIASES = {"initializers", "losses", "metrics", "optimizers"}
EXTRA = ["experimental", "data.experimental", "config.experimental"]


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def main():
    namespaces = {"tf": _public(tf)}
    for name in namespaces["tf"]:
        sub = getattr(tf, name)
        if isinstance(sub, types.ModuleType) and name not in NOT_WALKED and name not in KERAS_ALIASES:
            namespaces[f"tf.{name}"] = _public(sub)
    for dotted in EXTRA:
        module = tf
        for part in dotted.split("."):
            module = getattr(module, part)
        namespaces[f"tf.{dotted}"] = _public(module)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_names.json")
    with open(path, "w") as f:
        json.dump({"tensorflow": tf.__version__, "namespaces": namespaces}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {sum(map(len, namespaces.values()))} names in {len(namespaces)} namespaces to {path}")


if __name__ == "__main__":
    main()
