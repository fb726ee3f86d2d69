"""Cases behind the conformance fixes (tests/test_conformance_fixes.py), run unchanged by
record.py (real TensorFlow) and by the tests (capas).

Each case is a small program; `describe` turns what it leaves in `result` into JSON.
"""

import numpy as np

CASES = {
    "argmax_bool": "result = tf.argmax(tf.constant([False, True, True]))",
    "argmin_bool_axis1": "result = tf.argmin(tf.constant([[True, False], [True, True]]), axis=1)",
    "cond_true": "result = tf.cond(tf.constant(3) > 2, lambda: tf.constant(1), lambda: tf.constant(0))",
    "cond_false_singleton": "result = tf.cond(tf.constant(False), lambda: [tf.constant(1.0)], lambda: [tf.constant(2.0)])",
    "cond_pair": "result = tf.cond(tf.constant(True), lambda: (tf.constant(1), tf.constant(2)), lambda: (tf.constant(3), tf.constant(4)))",
    "while_loop_list": "result = tf.while_loop(lambda i: tf.less(i, 10), lambda i: (tf.add(i, 1),), [tf.constant(0)])",
    "while_loop_two_vars": (
        "result = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),"
        " (tf.constant(0), tf.constant(0.0)))"
    ),
    "while_loop_maximum_iterations": (
        "result = tf.while_loop(lambda i: i < 100, lambda i: [i + 2], [tf.constant(1)], maximum_iterations=3)"
    ),
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
