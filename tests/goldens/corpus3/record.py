"""Record TensorFlow's answers to the corpus3 fix cases (run with TensorFlow, never by the tests).

    /work/tfvenv/bin/python tests/goldens/corpus3/record.py

Writes `cases.json` next to this file: {case name: result}.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow as tf  # noqa: E402
from cases import CASES, run_case  # noqa: E402


def main():
    out = {"tensorflow": tf.__version__, "cases": {name: run_case(tf, name) for name in CASES}}
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
