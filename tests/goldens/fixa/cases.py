"""Cases behind the conformance fixes (tests/test_conformance_fixes.py), run unchanged by
record.py (real TensorFlow) and by the tests (capas).

Each case is a small program; `describe` turns what it leaves in `result` into JSON.
"""

import numpy as np

CASES = {
    "argmax_bool": "result = tf.argmax(tf.constant([False, True, True]))",
    "argmin_bool_axis1": "result = tf.argmin(tf.constant([[True, False], [True, True]]), axis=1)",
}


def describe(tf, value):
    """A JSON-friendly description of `value`: tensors give dtype, shape and values."""
    if isinstance(value, (list, tuple)):
        return [describe(tf, v) for v in value]
    if hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, np.ndarray):
        array = np.asarray(value)
        dtype = value.dtype if isinstance(value.dtype, str) else getattr(value.dtype, "name", None)
        return {"dtype": str(dtype), "shape": list(array.shape), "value": array.tolist()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def run_case(tf, code):
    namespace = {"tf": tf, "np": np}
    exec(code, namespace)
    return describe(tf, namespace["result"])
