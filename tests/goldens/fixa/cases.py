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
    # tf.random.Generator / stateless ops: shapes, dtypes, ranges, reproducibility (not the numbers)
    "generator_shapes_dtypes": (
        "g = tf.random.Generator.from_seed(1)\n"
        "result = [g.normal([2, 3]).shape.as_list(), g.normal([2, 3]).dtype.name,\n"
        "          g.uniform([5], 0, 10, dtype=tf.int32).dtype.name, g.truncated_normal([4]).shape.as_list(),\n"
        "          g.make_seeds(3).shape.as_list(), g.make_seeds().dtype.name, len(g.split(3)),\n"
        "          g.uniform_full_int([2]).dtype.name, g.normal([2], dtype=tf.float64).dtype.name]"
    ),
    "generator_same_seed_same_values": (
        "a = tf.random.Generator.from_seed(5)\n"
        "b = tf.random.Generator.from_seed(5)\n"
        "result = [bool(np.array_equal(a.normal([3]).numpy(), b.normal([3]).numpy())),\n"
        "          bool(np.array_equal(a.normal([3]).numpy(), a.normal([3]).numpy()))]"
    ),
    "generator_split_streams_differ": (
        "g1, g2 = tf.random.Generator.from_seed(3).split(2)\n"
        "result = bool(np.array_equal(g1.normal([4]).numpy(), g2.normal([4]).numpy()))"
    ),
    "generator_reset_from_seed": (
        "g = tf.random.Generator.from_seed(9)\n"
        "a = g.uniform([3]).numpy()\n"
        "g.reset_from_seed(9)\n"
        "result = bool(np.array_equal(a, g.uniform([3]).numpy()))"
    ),
    "global_generator": "result = tf.random.get_global_generator().normal([2, 2]).shape.as_list()",
    "stateless_ops": (
        "s = [1, 2]\n"
        "u = tf.random.stateless_uniform([50], seed=s, minval=3, maxval=7, dtype=tf.int32)\n"
        "result = [bool(np.array_equal(tf.random.stateless_normal([3], seed=s).numpy(),\n"
        "                              tf.random.stateless_normal([3], seed=s).numpy())),\n"
        "          u.dtype.name, bool(np.all((u.numpy() >= 3) & (u.numpy() < 7))),\n"
        "          tf.random.stateless_truncated_normal([2, 2], seed=s).shape.as_list(),\n"
        "          bool(np.all(np.abs(tf.random.stateless_truncated_normal([100], seed=s).numpy()) <= 2)),\n"
        "          tf.random.stateless_categorical(tf.math.log([[0.5, 0.5]]), 4, seed=s).shape.as_list(),\n"
        "          tf.random.experimental.stateless_split(s, num=3).shape.as_list()]"
    ),
    # tf.train.Checkpoint: attributes set after construction; a variable reached by two paths
    "checkpoint_late_attributes_and_aliases": (
        "import os, tempfile\n"
        "save = tf.train.Checkpoint()\n"
        "save.listed = [tf.Variable(1.0)]\n"
        "save.listed.append(tf.Variable(2.0))\n"
        "save.mapped = {'one': save.listed[0]}\n"
        "save.mapped['two'] = save.listed[1]\n"
        "path = save.save(os.path.join(tempfile.mkdtemp(), 'ck'))\n"
        "a, b, c = tf.Variable(0.0), tf.Variable(0.0), tf.Variable(0.0)\n"
        "restore = tf.train.Checkpoint()\n"
        "restore.mapped = {'two': a}\n"
        "restore.listed = [b]\n"
        "restore.restore(path)\n"
        "other = tf.train.Checkpoint(mapped={'one': c})\n"
        "other.restore(path).expect_partial()\n"
        "result = [float(a.numpy()), float(b.numpy()), float(c.numpy())]"
    ),
    "linspace_int_bounds": "result = tf.linspace(-2, 2, 5)",
    "linspace_int_tensor_bounds": "result = tf.linspace(tf.constant(0), tf.constant(3), 4)",
    "int_variable_trainable": (
        "class M(tf.Module):\n"
        "    def __init__(self):\n"
        "        self.w = tf.Variable(3)\n"
        "        self.f = tf.Variable(1.0, trainable=False)\n"
        "m = M()\n"
        "result = [m.w.trainable, [v.numpy() for v in m.trainable_variables], len(m.non_trainable_variables)]"
    ),
    "strided_slice_step": "result = tf.strided_slice(tf.range(10), begin=[1], end=[7], strides=[2])",
    "strided_slice_masks": (
        "t = tf.reshape(tf.range(24), (2, 3, 4))\n"
        "result = [tf.strided_slice(t, [0, 2], [2, 0], [1, -1], begin_mask=1),\n"
        "          tf.strided_slice(t, [1, 0], [2, 3], [1, 2], shrink_axis_mask=1, end_mask=2),\n"
        "          tf.strided_slice(t, [0, 0, 1], [0, 0, 3], [1, 1, 1], ellipsis_mask=1, new_axis_mask=2),\n"
        "          tf.strided_slice(t, [-1], [-3], [-1])]"
    ),
    "gather_strings": "result = tf.gather(tf.constant(list('abcdef')), indices=[2, 0, 5])",
    "gather_strings_2d_axis1": "result = tf.gather(tf.constant([['a', 'b'], ['c', 'd']]), [1, 1, 0], axis=1)",
}


def describe(tf, value):
    """A JSON-friendly description of `value`: tensors give dtype, shape and values."""
    if isinstance(value, (list, tuple)):
        return [describe(tf, v) for v in value]
    if hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, np.ndarray):
        array = np.asarray(value)
        dtype = value.dtype if isinstance(value.dtype, str) else getattr(value.dtype, "name", None)
        values = array.tolist()
        if array.dtype == object:
            values = np.vectorize(lambda b: b.decode("latin-1"), otypes=[object])(array).tolist()
        return {"dtype": str(dtype), "shape": list(array.shape), "value": values}
    if isinstance(value, np.generic):
        return value.item()
    return value


def run_case(tf, code):
    namespace = {"tf": tf, "np": np}
    exec(code, namespace)
    return describe(tf, namespace["result"])
