"""Record TF 2.21 values for tests/keras/layers/preprocessing/test_lookup_output_dtypes.py.

Run: /work/tfvenv/bin/python tests/goldens/conformance_fixes/record.py
"""

import json
import pathlib

import keras
import numpy as np
import tensorflow as tf

out = {}
for mode in ("one_hot", "multi_hot", "count", "tf_idf"):
    extra = {"idf_weights": [1.0, 2.0, 3.0]} if mode == "tf_idf" else {}
    s = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode, **extra)
    i = keras.layers.IntegerLookup(vocabulary=[5, 6, 7], output_mode=mode, **extra)
    rs, ri = s(tf.constant(["c", "q", "a"])), i(tf.constant([7, 9, 5]))
    out[mode] = {
        "string": [tf.as_dtype(rs.dtype).name, np.asarray(rs).tolist()],
        "integer": [tf.as_dtype(ri.dtype).name, np.asarray(ri).tolist()],
    }
    if mode != "one_hot":  # TextVectorization's one_hot is ragged in TF
        t = keras.layers.TextVectorization(vocabulary=["a", "b", "c"], output_mode=mode, **extra)
        rt = t(tf.constant(["a b a", "c q"]))
        out[mode]["text"] = [tf.as_dtype(rt.dtype).name, np.asarray(rt).tolist()]
path = pathlib.Path(__file__).with_name("lookup_dtypes.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
