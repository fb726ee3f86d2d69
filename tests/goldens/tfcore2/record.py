"""Record what TensorFlow returns (or raises) for each case of `cases.py`.

Run with the TensorFlow virtual environment (never from tests or CI):

    /work/tfvenv/bin/python tests/goldens/tfcore2/record.py

It writes `goldens.json` next to this file.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases

tf.autograph.set_verbosity(0)


def main():
    goldens = {"tensorflow": tf.__version__, "cases": {}}
    for name in cases.CASES:
        goldens["cases"][name] = cases.run_case(tf, name)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")
    with open(path, "w") as f:
        json.dump(goldens, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(goldens['cases'])} cases to {path}")


if __name__ == "__main__":
    main()
