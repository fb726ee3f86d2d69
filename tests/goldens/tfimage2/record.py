"""Record the tfimage2 goldens (the rest of tf.image) from real TensorFlow: `/work/tfvenv/bin/python tests/goldens/tfimage2/record.py`."""

import json
import os
import sys

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES  # noqa: E402

goldens = {name: case(tf) for name, case in CASES.items()}
goldens["_recorded_with"] = f"tensorflow {tf.__version__}"
with open(os.path.join(HERE, "goldens.json"), "w") as f:
    json.dump(goldens, f, indent=0, sort_keys=True)
    f.write("\n")
