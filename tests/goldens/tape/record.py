"""Record TensorFlow's answers to the GradientTape cases in `cases.py`.

Run with real TensorFlow (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/tape/record.py

It writes `tape_cases.json` next to this file: per case, the returned data
and the warnings TensorFlow logged while the case ran.
"""

import json
import logging
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        # TF's jacobians trace tf.functions (pfor) and note the retracing; that is not tape behaviour.
        if "triggered tf.function retracing" not in message:
            self.messages.append(message)


def main():
    logger = logging.getLogger("tensorflow")
    out = {"tensorflow": tf.__version__, "cases": {}}
    for name, fn in CASES.items():
        handler = _Collect()
        logger.addHandler(handler)
        try:
            result = fn(tf)
        finally:
            logger.removeHandler(handler)
        out["cases"][name] = {"result": result, "warnings": handler.messages}
    path = os.path.join(HERE, "tape_cases.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(f"wrote {len(out['cases'])} cases to {path}")


if __name__ == "__main__":
    main()
