"""Record TensorFlow's answers to the interop cases (run with TensorFlow, never by the tests).

    /work/tfvenv/bin/python tests/goldens/interop/record.py

Writes `<group>.json` next to this file: {case name: {"kind", "dtype", "value"}}.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np
import tensorflow as tf
from cases import GROUPS, run_case


def _is_tensor(value):
    return tf.is_tensor(value)


def _is_variable(value):
    return isinstance(value, tf.Variable)


def main():
    for group, cases in GROUPS.items():
        results = {name: run_case(tf, np, code, _is_tensor, _is_variable) for name, code in cases.items()}
        path = os.path.join(HERE, f"{group}.json")
        with open(path, "w") as f:
            json.dump(
                {
                    "tensorflow": tf.__version__,
                    "numpy": np.__version__,
                    "cases": results,
                },
                f,
                indent=1,
            )
            f.write("\n")
        print(f"{path}: {len(results)} cases")


if __name__ == "__main__":
    main()
