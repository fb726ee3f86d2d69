"""Record the string-input goldens from real TensorFlow: `/work/tfvenv/bin/python tests/goldens/strinput/record.py`."""

import json
import os
import sys

import tensorflow as tf
from tensorflow import keras

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES, pet_model  # noqa: E402

goldens = {name: case(tf, keras) for name, case in CASES.items()}
# A .keras file written by TF's Keras (string Input, adapted lookups as assets) for capas to load.
pet_model(tf, keras).save(os.path.join(HERE, "tf_pets.keras"))
goldens["_recorded_with"] = f"tensorflow {tf.__version__}"
with open(os.path.join(HERE, "goldens.json"), "w") as f:
    json.dump(goldens, f, indent=1, sort_keys=True)
    f.write("\n")
