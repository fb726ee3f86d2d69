"""Record the keras.ops goldens from Keras 3 on TensorFlow: `/work/tfvenv/bin/python tests/goldens/kerasops/record.py`."""

import json
import os
import sys

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES, as_record  # noqa: E402

goldens = {}
for name, case in CASES.items():
    try:
        goldens[name] = as_record(case(keras))
    except Exception as exc:  # an op Keras-TF cannot run here: recorded as such, skipped by the test
        goldens[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
goldens["_recorded_with"] = f"tensorflow {tf.__version__}, keras {keras.__version__} (tensorflow backend)"
with open(os.path.join(HERE, "goldens.json"), "w") as f:
    json.dump(goldens, f, indent=0, sort_keys=True)
    f.write("\n")
