"""tf core wave 2 cases (tf.nest, tf.debugging, control/functional ops, tf.math extras, ...),
run by `record.py` on TensorFlow and by `tests/test_tfcore2_goldens.py` on capas.

Each case is a function `case(tf)` (`tf` is `tensorflow` or `capas`) returning a value;
`run_case` turns it (or the exception it raised) into JSON: tensors as
`{"dtype", "shape", "value"}`, tuples, namedtuples and dicts tagged so that their kind and
key order are compared too.
"""

import collections

import numpy as np

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


Point = collections.namedtuple("Point", ["y", "x"])


def _dtype_name(dtype):
    name = getattr(dtype, "name", None)
    return name if isinstance(name, str) else str(dtype).split(".")[-1]


def to_json(x):
    if hasattr(x, "numpy") and hasattr(x, "dtype") and hasattr(x, "shape"):
        array = np.asarray(x.numpy())
        shape = list(array.shape)
        if array.dtype.kind == "c":  # compared as its real and imaginary parts
            array = np.stack([array.real, array.imag])
        value = array.tolist()
        if array.dtype.kind == "f":
            value = np.where(np.isfinite(array), array, 0).tolist()
            value = {
                "finite": value,
                "nan": np.isnan(array).tolist(),
                "inf": np.sign(np.where(np.isinf(array), array, 0)).tolist(),
            }
        return {"tensor": _dtype_name(x.dtype), "shape": shape, "value": value}
    if isinstance(x, np.ndarray):
        return {"ndarray": str(x.dtype), "value": x.tolist()}
    if isinstance(x, np.generic):
        return to_json(x.item())
    if isinstance(x, tuple) and hasattr(type(x), "_fields"):
        return {"namedtuple": type(x).__name__, "fields": list(x._fields), "items": [to_json(v) for v in x]}
    if isinstance(x, tuple):
        return {"tuple": [to_json(v) for v in x]}
    if isinstance(x, list):
        return [to_json(v) for v in x]
    if isinstance(x, dict):
        return {"dict": type(x).__name__, "items": [[to_json(k), to_json(v)] for k, v in x.items()]}
    if isinstance(x, float) and not np.isfinite(x):
        return {"float": str(x)}
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    return {"object": type(x).__name__}


def run_case(tf, name):
    try:
        return {"value": to_json(CASES[name](tf))}
    except Exception as exc:  # noqa: BLE001 - the exception is the observation
        return {"raised": type(exc).__name__, "message": str(exc)}


# -- tf.nest ------------------------------------------------------------------------------
@case
def nest_flatten_dict_sorted(tf):
    return tf.nest.flatten({"b": 1, "a": [2, (3, None)], "c": Point(4, 5)})


@case
def nest_flatten_ordereddict_sorted(tf):
    return tf.nest.flatten(collections.OrderedDict([("b", 1), ("a", 2)]))


@case
def nest_flatten_leaves(tf):
    return [tf.nest.flatten(None), tf.nest.flatten("ab"), tf.nest.flatten(tf.constant([1, 2]))]


@case
def nest_pack_keeps_key_order(tf):
    return [
        tf.nest.pack_sequence_as({"b": 1, "a": [2, 3]}, [10, 20, 30]),
        tf.nest.pack_sequence_as(collections.OrderedDict([("b", 1), ("a", 2)]), [10, 20]),
        tf.nest.pack_sequence_as(Point(0, (0, 0)), [1, 2, 3]),
        tf.nest.pack_sequence_as(5, [7]),
    ]


@case
def nest_pack_wrong_count(tf):
    return tf.nest.pack_sequence_as([1, [2]], [1])


@case
def nest_is_nested(tf):
    return [
        tf.nest.is_nested(v)
        for v in ([], (), {}, 1, "a", Point(1, 2), tf.constant([1]), None, collections.OrderedDict())
    ]


@case
def nest_map_structure_two(tf):
    return tf.nest.map_structure(lambda a, b: a + b, {"x": [1, 2], "w": (3,)}, {"x": [3, 4], "w": (5,)})


@case
def nest_map_structure_namedtuple(tf):
    return tf.nest.map_structure(lambda a: a * 2, Point(y=1, x=[2, 3]))


@case
def nest_map_structure_bad_kwarg(tf):
    return tf.nest.map_structure(lambda a: a, [1, 2], foo=1)


@case
def nest_map_structure_length_mismatch(tf):
    return tf.nest.map_structure(lambda a, b: a + b, [1, 2], [1])


@case
def nest_assert_same_structure_ok(tf):
    return [
        tf.nest.assert_same_structure([1, (2, 3)], ["a", ("b", "c")]),
        tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False),
    ]


@case
def nest_assert_same_structure_sequence_vs_leaf(tf):
    tf.nest.assert_same_structure([1, [2]], [1, 2])


@case
def nest_assert_same_structure_types(tf):
    tf.nest.assert_same_structure([1, 2], (1, 2))


@case
def nest_assert_same_structure_keys(tf):
    tf.nest.assert_same_structure({"a": 1}, {"b": 1})


@case
def nest_flatten_unsortable_keys(tf):
    return tf.nest.flatten({"a": 1, 2: 3})


@case
def nest_expand_composites_sparse(tf):
    st = tf.sparse.SparseTensor(indices=[[0, 1]], values=[5], dense_shape=[2, 3])
    flat = tf.nest.flatten(st, expand_composites=True)
    back = tf.nest.pack_sequence_as(st, flat, expand_composites=True)
    return [flat, tf.sparse.to_dense(back)]


@case
def nest_expand_composites_ragged(tf):
    return tf.nest.flatten(tf.ragged.constant([[1], [2, 3]]), expand_composites=True)


# -- tf.debugging ---------------------------------------------------------------------------
def _xy(tf):
    return tf.constant([1, 2]), tf.constant([1, 3])


@case
def assert_equal_fails(tf):
    x, y = _xy(tf)
    tf.debugging.assert_equal(x, y)


@case
def assert_equal_message(tf):
    x, y = _xy(tf)
    tf.debugging.assert_equal(x, y, message="hi")


@case
def assert_equal_passes(tf):
    x, _ = _xy(tf)
    return [tf.debugging.assert_equal(x, x), tf.assert_equal(x, x)]


@case
def assert_less_fails(tf):
    x, y = _xy(tf)
    tf.debugging.assert_less(x, y)


@case
def assert_less_equal_greater_pass(tf):
    x, y = _xy(tf)
    return [
        tf.debugging.assert_less_equal(x, y),
        tf.debugging.assert_greater(y + 1, x),
        tf.debugging.assert_greater_equal(y, x),
        tf.debugging.assert_none_equal(x, x + 5),
    ]


@case
def assert_greater_top_level_fails(tf):
    x, y = _xy(tf)
    tf.assert_greater(x, y)


@case
def assert_none_equal_fails(tf):
    x, y = _xy(tf)
    tf.debugging.assert_none_equal(x, y)


@case
def assert_positive_fails(tf):
    tf.debugging.assert_positive(tf.constant([0.0, 1.0]))


@case
def assert_non_negative_fails(tf):
    tf.debugging.assert_non_negative(tf.constant([-1, 1]))


@case
def assert_negative_and_non_positive_pass(tf):
    return [tf.debugging.assert_negative(tf.constant([-1.0])), tf.debugging.assert_non_positive(tf.constant([0, -2]))]


@case
def assert_rank_fails(tf):
    tf.debugging.assert_rank(tf.constant([1, 2]), 2)


@case
def assert_rank_top_level_passes(tf):
    return tf.assert_rank(tf.zeros([2, 3]), 2)


@case
def assert_rank_at_least_fails(tf):
    tf.debugging.assert_rank_at_least(tf.constant([1, 2]), 2)


@case
def assert_rank_in_fails(tf):
    tf.debugging.assert_rank_in(tf.constant([1, 2]), (0, 2))


@case
def assert_type_fails(tf):
    tf.debugging.assert_type(tf.constant([1, 2]), tf.float32)


@case
def assert_integer_fails(tf):
    tf.debugging.assert_integer(tf.constant(1.0))


@case
def assert_scalar_fails(tf):
    tf.debugging.assert_scalar(tf.constant([1, 2]))


@case
def assert_near_fails(tf):
    tf.debugging.assert_near(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.1]))


@case
def assert_near_passes(tf):
    return tf.debugging.assert_near(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0000001]))


@case
def assert_all_finite_fails(tf):
    tf.debugging.assert_all_finite(tf.constant([1.0, float("nan")]), "bad")


@case
def check_numerics_inf(tf):
    tf.debugging.check_numerics(tf.constant([1.0, float("inf")]), "bad")


@case
def check_numerics_passes(tf):
    return tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "fine")


@case
def Assert_fails(tf):
    x, _ = _xy(tf)
    tf.debugging.Assert(tf.constant(False), ["oops", x])


@case
def Assert_top_level_passes(tf):
    return tf.Assert(tf.constant(True), ["never"])


@case
def assert_shapes_fails(tf):
    tf.debugging.assert_shapes([(tf.constant([1, 2]), ("N",)), (tf.zeros([3, 2]), ("N", "D"))])


@case
def assert_shapes_passes(tf):
    return tf.debugging.assert_shapes(
        [(tf.zeros([2, 3]), ("N", "D")), (tf.zeros([2]), ("N",)), (tf.zeros([4, 3]), (4, "D"))]
    )


@case
def assert_proper_iterable_fails(tf):
    tf.debugging.assert_proper_iterable("abc")


@case
def assert_same_float_dtype_fails(tf):
    try:  # the message shows the tensors' reprs (TF's and torch's differ): compare its words
        tf.debugging.assert_same_float_dtype([tf.constant(1.0), tf.constant(1.0, tf.float64)])
    except ValueError as exc:
        return ["must be of the same type (<dtype: 'float32'>)" in str(exc), "type=<dtype: 'float64'>" in str(exc)]


@case
def switch_case_python_index(tf):
    return tf.switch_case(1, [lambda: tf.constant(1), lambda: tf.constant(2)])


@case
def assert_same_float_dtype_returns(tf):
    return [
        tf.debugging.assert_same_float_dtype([tf.constant(1.0, tf.float64)]).name,
        tf.debugging.assert_same_float_dtype().name,
    ]


@case
def assert_equal_incompatible_shapes(tf):
    tf.debugging.assert_equal(tf.zeros([2]), tf.zeros([3]))


@case
def is_numeric_tensor(tf):
    return [
        tf.debugging.is_numeric_tensor(tf.constant([1])),
        tf.debugging.is_numeric_tensor(tf.constant(1.5)),
        tf.debugging.is_numeric_tensor(tf.constant("a")),
        tf.debugging.is_numeric_tensor(tf.constant(True)),
        tf.debugging.is_numeric_tensor(3),
    ]


@case
def assert_inside_function_raises_per_call(tf):
    @tf.function
    def f(a):
        tf.debugging.assert_positive(a, message="need positive")
        tf.debugging.assert_less(a, 10.0)
        return a * 2

    out = [f(tf.constant(1.0))]
    for value in (-1.0, 20.0):
        try:
            f(tf.constant(value))
            out.append("no error")
        except Exception as exc:  # noqa: BLE001
            out.append(type(exc).__name__)
    out.append(f(tf.constant(3.0)))
    return out


@case
def debugging_switches(tf):
    before = tf.debugging.get_log_device_placement()
    tf.debugging.set_log_device_placement(True)
    after = tf.debugging.get_log_device_placement()
    tf.debugging.set_log_device_placement(False)
    filtering = tf.debugging.is_traceback_filtering_enabled()
    return [before, after, filtering]


@case
def enable_check_numerics_catches(tf):
    tf.debugging.enable_check_numerics()
    try:
        tf.math.log(tf.constant([-1.0]))
        return "no error"
    except Exception as exc:  # noqa: BLE001
        return [type(exc).__name__, "Detected Infinity or NaN" in str(exc)]
    finally:
        tf.debugging.disable_check_numerics()


# -- control and functional ops ---------------------------------------------------------------
@case
def get_static_value(tf):
    return [tf.get_static_value(tf.constant([1, 2])), tf.get_static_value(tf.constant(2.5))]


@case
def control_dependencies_group_no_op(tf):
    x = tf.constant(1)
    with tf.control_dependencies([x]):
        y = x + 1
    with tf.control_dependencies(None):
        z = y * 2
    return [y, z, tf.group(x, y), tf.no_op()]


@case
def switch_case_list_dict_default(tf):
    branches = [lambda: tf.constant(10), lambda: tf.constant(20), lambda: tf.constant(30)]
    return [
        tf.switch_case(tf.constant(1), branches),
        tf.switch_case(tf.constant(5), branches),
        tf.switch_case(tf.constant(-1), branches, default=lambda: tf.constant(-5)),
        tf.switch_case(tf.constant(0), {0: lambda: tf.constant(1), 1: lambda: tf.constant(2)}),
    ]


@case
def case_first_true_and_default(tf):
    x = tf.constant(3)
    return [
        tf.case([(x < 0, lambda: tf.constant(-1)), (x > 0, lambda: tf.constant(1))]),
        tf.case([(x > 5, lambda: tf.constant(5))], default=lambda: tf.constant(0)),
        tf.case([(x > 1, lambda: tf.constant(1)), (x > 2, lambda: tf.constant(2))]),
    ]


@case
def case_exclusive_two_true(tf):
    x = tf.constant(3)
    return tf.case([(x > 1, lambda: tf.constant(1)), (x > 2, lambda: tf.constant(2))], exclusive=True)


@case
def scan_cases(tf):
    elems = tf.constant([1.0, 2.0, 3.0, 4.0])
    return [
        tf.scan(lambda a, x: a + x, elems),
        tf.scan(lambda a, x: a * x, elems, initializer=tf.constant(2.0)),
        tf.scan(lambda a, x: a + x, elems, reverse=True),
        tf.scan(lambda a, x: (a[0] + x, a[1] * x), elems, initializer=(tf.constant(0.0), tf.constant(1.0))),
        tf.scan(lambda a, x: a + x[0] * x[1], (elems, elems), initializer=tf.constant(0.0)),
    ]


@case
def fold_cases(tf):
    elems = tf.constant([1, 2, 3])
    return [
        tf.foldl(lambda a, x: a * 10 + x, elems),
        tf.foldr(lambda a, x: a * 10 + x, elems),
        tf.foldl(lambda a, x: a - x, elems, initializer=tf.constant(100)),
        tf.foldr(lambda a, x: a - x, elems, initializer=tf.constant(100)),
    ]


@case
def vectorized_map_cases(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return [
        tf.vectorized_map(lambda r: tf.reduce_sum(r * r), x),
        tf.vectorized_map(lambda r: (r[0], r * 2.0), x),
        tf.vectorized_map(lambda e: e[0] + e[1], (x, x)),
        tf.vectorized_map(lambda r: tf.matmul(tf.reshape(r, [1, 2]), tf.reshape(r, [2, 1])), x),
    ]


@case
def autodiff_forward_accumulator(tf):
    x = tf.Variable([1.0, 2.0])
    v = tf.constant([1.0, 0.5])
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
        y = tf.reduce_sum(x * x)
        z = tf.sin(x) * 3.0
    unrelated = tf.constant(1.0)
    return [acc.jvp(y), acc.jvp(z), acc.jvp(x), acc.jvp(unrelated)]


@case
def autodiff_gradient_tape_alias(tf):
    x = tf.Variable(3.0)
    with tf.autodiff.GradientTape() as tape:
        y = x * x
    return tape.gradient(y, x)


@case
def autograph_do_not_convert(tf):
    @tf.autograph.experimental.do_not_convert
    def f(x):
        return x + 1

    tf.autograph.set_verbosity(0)
    return f(tf.constant(1))


# -- tf.math extras -----------------------------------------------------------------------
@case
def math_elementwise_extras(tf):
    x = tf.constant([-2.5, -0.5, 0.0, 0.5, 1.5, 2.5])
    p = tf.constant([0.1, 0.5, 0.9])
    return [
        tf.math.rint(x),
        tf.math.reciprocal_no_nan(x),
        tf.math.softsign(x),
        tf.math.ndtri(p),
        tf.math.erfcinv(p),
        tf.math.bessel_i0(x),
        tf.math.bessel_i0e(x),
        tf.math.bessel_i1(x),
        tf.math.bessel_i1e(x),
        tf.math.nextafter(tf.constant([1.0, 0.0]), tf.constant([2.0, -1.0])),
        tf.math.angle(tf.constant([1.0 + 1.0j, -1.0 + 0j])),
        tf.math.angle(tf.constant([-1.0, 2.0])),
    ]


@case
def math_gamma_family(tf):
    a = tf.constant([0.5, 1.0, 2.0, 3.0])
    x = tf.constant([0.3, 1.0, 2.5, 0.5])
    return [tf.math.igamma(a, x), tf.math.igammac(a, x), tf.math.lbeta(tf.constant([[1.0, 2.0], [0.5, 3.0]]))]


@case
def math_polyval_scans(tf):
    x = tf.constant([[0.0, 1.0, 2.0], [3.0, -1.0, 0.5]])
    return [
        tf.math.polyval([1.0, 2.0, 3.0], tf.constant([2.0, -1.0])),
        tf.math.cumulative_logsumexp(x, axis=1),
        tf.math.cumulative_logsumexp(x, axis=0, exclusive=True),
        tf.math.cumulative_logsumexp(x, axis=1, reverse=True),
        tf.math.invert_permutation(tf.constant([3, 4, 0, 2, 1])),
        tf.math.is_non_decreasing(tf.constant([1, 1, 2])),
        tf.math.is_strictly_increasing(tf.constant([1, 1, 2])),
        tf.math.scalar_mul(2.0, tf.constant([1.0, 2.0])),
        tf.scalar_mul(3, tf.constant([1, 2])),
        tf.math.accumulate_n([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]), tf.constant([5.0, 6.0])]),
    ]


@case
def math_segment_sorted(tf):
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [-1.0, 7.0]])
    ids = tf.constant([0, 0, 2, 2])
    return [
        tf.math.segment_sum(data, ids),
        tf.math.segment_mean(data, ids),
        tf.math.segment_max(data, ids),
        tf.math.segment_min(data, ids),
        tf.math.segment_prod(data, ids),
        tf.math.segment_sum(tf.constant([1, 2, 3]), tf.constant([0, 1, 1])),
    ]


@case
def math_segment_unsorted(tf):
    data = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])
    ids = tf.constant([2, 0, 2, -1, 0])
    ints = tf.constant([1, 2, 3, 4, 5])
    return [
        tf.math.unsorted_segment_sum(data, ids, 4),
        tf.math.unsorted_segment_mean(data, ids, 4),
        tf.math.unsorted_segment_max(data, ids, 4),
        tf.math.unsorted_segment_min(data, ids, 4),
        tf.math.unsorted_segment_prod(data, ids, 4),
        tf.math.unsorted_segment_sqrt_n(data, ids, 4),
        tf.math.unsorted_segment_max(ints, ids, 4),
        tf.math.unsorted_segment_min(ints, ids, 4),
    ]


@case
def math_bincount(tf):
    arr = tf.constant([[1, 1, 3], [0, 2, 2]])
    return [
        tf.math.bincount(tf.constant([1, 1, 3, 5])),
        tf.math.bincount(tf.constant([1, 1, 3]), minlength=6),
        tf.math.bincount(tf.constant([1, 1, 3]), maxlength=2),
        tf.math.bincount(tf.constant([1, 1, 3]), weights=tf.constant([0.5, 1.0, 2.0])),
        tf.math.bincount(arr, axis=-1),
        tf.math.bincount(arr, axis=-1, binary_output=True),
        tf.math.bincount(tf.constant([1, 2]), dtype=tf.float32),
    ]


@case
def math_confusion_matrix_in_top_k(tf):
    preds = tf.constant([[0.9, 0.1, 0.0], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
    return [
        tf.math.confusion_matrix([1, 2, 4], [2, 2, 4]),
        tf.math.confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=3, weights=[1.0, 2.0, 3.0], dtype=tf.float32),
        tf.math.in_top_k(tf.constant([0, 1, 2]), preds, 1),
        tf.math.in_top_k(tf.constant([0, 1, 2]), preds, 2),
        tf.math.in_top_k(tf.constant([1]), tf.constant([[0.5, 0.5, 0.1]]), 1),
    ]


@case
def unique_and_counts(tf):
    x = tf.constant([3, 1, 3, 2, 1, 7])
    return [tf.unique(x), tf.unique_with_counts(x), tf.unique(tf.constant([2.0, 1.0, 2.0]), out_idx=tf.int64)]


@case
def searchsorted_cases(tf):
    seq = tf.constant([[1, 3, 5, 7], [2, 4, 6, 8]])
    values = tf.constant([[3, 8], [1, 6]])
    return [
        tf.searchsorted(seq, values),
        tf.searchsorted(seq, values, side="right"),
        tf.searchsorted(tf.constant([0.5, 1.5]), tf.constant([1.0, 2.0, 0.0]), out_type=tf.int64),
    ]


@case
def histogram_cases(tf):
    values = tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0])
    return [
        tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5),
        tf.histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5),
        tf.histogram_fixed_width(tf.constant([1, 2, 3]), [0, 4], nbins=2),
    ]


@case
def tensor_scatter_nd_extras(tf):
    t = tf.constant([1, 5, 3, 8])
    idx = tf.constant([[0], [1], [1], [3]])
    upd = tf.constant([4, 2, 9, 7])
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    return [
        tf.tensor_scatter_nd_max(t, idx, upd),
        tf.tensor_scatter_nd_min(t, idx, upd),
        tf.tensor_scatter_nd_sub(t, idx, upd),
        tf.tensor_scatter_nd_max(m, tf.constant([[1]]), tf.constant([[0.0, 9.0]])),
    ]


@case
def bitwise_ops(tf):
    a = tf.constant([12, -3, 7], dtype=tf.int32)
    b = tf.constant([10, 1, 2], dtype=tf.int32)
    u = tf.constant([1, 2, 255], dtype=tf.uint8)
    return [
        tf.bitwise.bitwise_and(a, b),
        tf.bitwise.bitwise_or(a, b),
        tf.bitwise.bitwise_xor(a, b),
        tf.bitwise.invert(a),
        tf.bitwise.invert(u),
        tf.bitwise.left_shift(a, b),
        tf.bitwise.right_shift(a, tf.constant([1, 1, 1])),
    ]


# -- more top-level ops ----------------------------------------------------------------------
@case
def space_batch_round_trip(tf):
    x = tf.reshape(tf.range(2 * 4 * 6 * 3), [2, 4, 6, 3])
    s2b = tf.space_to_batch(x, [2, 3], [[0, 0], [1, 2]])
    back = tf.batch_to_space(s2b, [2, 3], [[0, 0], [1, 2]])
    one_d = tf.space_to_batch_nd(tf.reshape(tf.range(8), [2, 4, 1]), [2], [[1, 1]])
    return [s2b, back, one_d, tf.batch_to_space(one_d, [2], [[1, 1]])]


@case
def batch_to_space_bad_batch(tf):
    return tf.batch_to_space(tf.zeros([3, 1, 1, 1]), [2, 2], [[0, 0], [0, 0]])


@case
def bitcast_cases(tf):
    return [
        tf.bitcast(tf.constant([1.0, -2.0]), tf.int32),
        tf.bitcast(tf.constant([1, 256], dtype=tf.int32), tf.uint8),
        tf.bitcast(tf.constant([[0, 0, 128, 63]], dtype=tf.uint8), tf.float32),
        tf.bitcast(tf.constant(1.0, tf.float64), tf.int32),
    ]


@case
def broadcast_shapes(tf):
    return [
        tf.broadcast_dynamic_shape(tf.constant([1, 3]), tf.constant([2, 1])),
        tf.broadcast_dynamic_shape([5, 1, 3], [4, 1]),
        tf.broadcast_static_shape(tf.TensorShape([None, 1, 3]), tf.TensorShape([4, 1])).as_list(),
        tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([1, 5])).as_list(),
    ]


@case
def broadcast_static_shape_fails(tf):
    return tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4]))


@case
def broadcast_dynamic_shape_fails(tf):
    return tf.broadcast_dynamic_shape(tf.constant([2, 3]), tf.constant([4]))


@case
def partition_and_stitch(tf):
    data = tf.constant([[1, 2], [3, 4], [5, 6], [7, 8]])
    parts = tf.dynamic_partition(data, tf.constant([1, 0, 1, 2]), 3)
    stitched = tf.dynamic_stitch(
        [tf.constant([0, 2]), tf.constant([1, 3]), tf.constant([2])],
        [
            tf.constant([1.0, 2.0]),
            tf.constant([3.0, 4.0]),
            tf.constant([9.0]),
        ],
    )
    return [parts, stitched]


@case
def ensure_shape_cases(tf):
    return tf.ensure_shape(tf.zeros([2, 3]), [None, 3])


@case
def ensure_shape_fails(tf):
    return tf.ensure_shape(tf.zeros([3]), [2])


@case
def small_top_level_ops(tf):
    a = tf.constant([-7, 7, -8])
    b = tf.constant([2, -2, 3])
    return [
        tf.identity_n([tf.constant(1), tf.constant([2.0])]),
        tf.tuple([tf.constant(1), tf.constant(2)]),
        tf.realdiv(tf.constant([1.0, 3.0]), tf.constant([2.0, 4.0])),
        tf.truncatediv(a, b),
        tf.truncatemod(a, b),
        tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])]),
        tf.unravel_index(tf.constant([1, 5, 7]), tf.constant([3, 3])),
        tf.complex(tf.constant([1.0]), tf.constant([2.0])),
        tf.complex(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64)),
        tf.guarantee_const(tf.constant(3)),
        tf.inside_function(),
        tf.timestamp().dtype.name,
    ]


@case
def reverse_sequence_cases(tf):
    x = tf.reshape(tf.range(12), [3, 4])
    return [
        tf.reverse_sequence(x, [2, 4, 0], seq_axis=1, batch_axis=0),
        tf.reverse_sequence(tf.transpose(x), [2, 4, 0], seq_axis=0, batch_axis=1),
    ]


@case
def saturate_cast_cases(tf):
    return [
        tf.saturate_cast(tf.constant([-5.0, 300.0, 12.7]), tf.uint8),
        tf.saturate_cast(tf.constant([70000, -70000]), tf.int16),
        tf.dtypes.saturate_cast(tf.constant([1e39], tf.float64), tf.float32),
    ]


@case
def gradients_eager_fails(tf):
    return tf.gradients(tf.constant(1.0), tf.constant(2.0))


@case
def grad_pass_through_and_recompute(tf):
    x = tf.Variable([2.4, -1.6])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.grad_pass_through(tf.round)(x)
        z = tf.reduce_sum(tf.recompute_grad(lambda t: t * t * 3.0)(x))
    return [y, tape.gradient(y, x), z, tape.gradient(z, x)]


@case
def sets_ops(tf):
    a = tf.constant([[1, 2, 2, 9], [3, 3, 4, 5]])
    b = tf.constant([[2, 5, 9, 9], [1, 3, 6, 6]])

    def dense(st):
        return [st.indices, st.values, st.dense_shape, tf.sparse.to_dense(st)]

    return [
        dense(tf.sets.union(a, b)),
        dense(tf.sets.intersection(a, b)),
        dense(tf.sets.difference(a, b)),
        dense(tf.sets.difference(a, b, aminusb=False)),
        tf.sets.size(tf.sets.union(a, b)),
        tf.sets.size(tf.sparse.from_dense(tf.constant([[[1, 1], [2, 3]]]))),
        dense(tf.sets.union(tf.sparse.from_dense(tf.constant([[0, 4, 1]])), tf.constant([[5, 5, 0]]))),
    ]


@case
def sets_size_dense_fails(tf):
    try:  # the message shows the tensor's repr (TF's and torch's differ): compare its start
        tf.sets.size(tf.constant([[1, 2]]))
    except TypeError as exc:
        return str(exc).startswith("Expected `SparseTensor`, got ")


@case
def parallel_stack_eager_fails(tf):
    return tf.parallel_stack([tf.constant([1, 2]), tf.constant([3, 4])])


@case
def parallel_stack_in_function(tf):
    @tf.function
    def f(a, b):
        return tf.parallel_stack([a, b])

    return f(tf.constant([1, 2]), tf.constant([3, 4]))


# -- tf.test and tf.config -------------------------------------------------------------------
def _outcome(fn):
    try:
        fn()
        return "passed"
    except AssertionError:
        return "AssertionError"


@case
def test_case_assertions(tf):
    class T(tf.test.TestCase):
        def runTest(self):  # noqa: N802 - unittest's name
            pass

    t = T()
    x = tf.constant([1.0, 2.0])
    return [
        _outcome(lambda: t.assertAllClose(x, [1.0, 2.0 + 1e-7])),
        _outcome(lambda: t.assertAllClose(x, [1.0, 2.001])),
        _outcome(
            lambda: t.assertAllClose({"a": x, "b": [x, 3.0]}, {"a": [1.0, 2.0], "b": [np.array([1.0, 2.0]), 3.0]})
        ),
        _outcome(lambda: t.assertAllClose(x, [1.0, 2.5], atol=0.6)),
        _outcome(lambda: t.assertAllEqual(tf.constant([1, 2]), [1, 2])),
        _outcome(lambda: t.assertAllEqual(tf.constant([1, 2]), [1, 3])),
        _outcome(lambda: t.assertAllInRange(x, 1.0, 2.0)),
        _outcome(lambda: t.assertAllInRange(x, 1.0, 2.0, open_upper_bound=True)),
        _outcome(lambda: t.assertAllInRange(x, 1.0, 2.0, open_lower_bound=True)),
        _outcome(lambda: t.assertShapeEqual(np.zeros([2, 3]), tf.zeros([2, 3]))),
        _outcome(lambda: t.assertShapeEqual(np.zeros([2, 3]), tf.zeros([3, 2]))),
        _outcome(lambda: t.assertAllGreater(x, 0.5)),
        _outcome(lambda: t.assertAllLess(x, 2.0)),
        _outcome(lambda: t.assertAllLessEqual(x, 2.0)),
        _outcome(lambda: t.assertNotAllClose(x, [1.0, 2.0])),
        _outcome(lambda: t.assertAllInSet(tf.constant([1, 2, 1]), [1, 2])),
        _outcome(lambda: t.assertNear(1.0, 1.05, 0.1)),
        _outcome(lambda: t.assertArrayNear([1.0, 2.0], [1.0, 2.2], 0.1)),
        t.evaluate({"a": x, "b": [tf.constant(3)]}),
    ]


@case
def test_case_session_and_temp_dir(tf):
    import os

    class T(tf.test.TestCase):
        def runTest(self):  # noqa: N802
            pass

    t = T()
    with t.cached_session() as s1, t.session() as s2:
        value = t.evaluate(tf.constant(2) * 3)
    temp = t.get_temp_dir()
    return [s1 is not None, s2 is not None, value, os.path.isdir(temp)]


@case
def test_build_queries(tf):
    return [tf.test.gpu_device_name(), tf.test.is_gpu_available(), tf.test.is_built_with_rocm()]


@case
def test_compute_gradient(tf):
    return [
        tf.test.compute_gradient(lambda x: x * x, [tf.constant([1.0, 2.0])]),
        tf.test.compute_gradient(lambda x, y: x * y, [tf.constant([1.0, 2.0]), tf.constant(3.0)]),
        tf.test.compute_gradient(lambda x: tf.reduce_sum(tf.sin(x)), [tf.constant([[0.5, 1.0]], tf.float64)]),
        tf.test.compute_gradient(
            lambda x: tf.matmul(x, x), [tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)], delta=1e-2
        ),
    ]


@case
def test_compute_gradient_not_a_list(tf):
    try:  # the message names the argument's class (TF's EagerTensor, torch's Tensor): compare its start
        tf.test.compute_gradient(lambda x: x, tf.constant(1.0))
    except ValueError as exc:
        return str(exc).startswith("`x` must be a list or tuple of values convertible to a Tensor")


@case
def config_devices_on_cpu(tf):
    cpu = tf.config.list_physical_devices("CPU")[0]
    return [
        list(cpu),
        [list(d) for d in tf.config.get_visible_devices("CPU")],
        [list(d) for d in tf.config.list_logical_devices("CPU")],
        tf.config.get_logical_device_configuration(cpu),
        tf.config.get_soft_device_placement(),
        tf.config.threading.get_inter_op_parallelism_threads(),
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.experimental.get_memory_info("CPU:0"),
        tf.config.experimental.reset_memory_stats("CPU:0"),
        tf.config.experimental.get_device_details(cpu),
    ]


@case
def config_memory_growth_cpu_fails(tf):
    tf.config.experimental.set_memory_growth(tf.config.list_physical_devices("CPU")[0], True)


@case
def config_soft_placement_round_trip(tf):
    tf.config.set_soft_device_placement(False)
    off = tf.config.get_soft_device_placement()
    tf.config.set_soft_device_placement(True)
    return [off, tf.config.get_soft_device_placement()]


@case
def math_more_special(tf):
    x = tf.constant([0.0, 1.0, 2.0, 0.0])
    y = tf.constant([0.0, 0.5, 4.0, -1.0])
    return [
        tf.math.xdivy(x, y),
        tf.math.xlog1py(x, y),
        tf.math.zeta(tf.constant([2.0, 3.0, 4.5]), tf.constant([1.0, 2.0, 0.5])),
        tf.math.polygamma(tf.constant([0.0, 1.0, 2.0, 1.5]), tf.constant([1.5, 2.0, 3.0, 1.0])),
        tf.math.zero_fraction(tf.constant([[0, 1], [0, 0]])),
    ]


@case
def name_scope_and_linalg_top_level(tf):
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            inside = tf.get_current_name_scope()
    values = tf.eigvals(tf.constant([[2.0, 0.0], [0.0, 3.0]]))
    e, v = tf.eig(tf.constant([[4.0, 1.0], [2.0, 3.0]], tf.float64))
    order = tf.argsort(tf.math.real(e))
    return [
        tf.get_current_name_scope(),
        inside,
        values,
        tf.gather(e, order),
        tf.required_space_to_batch_paddings([5, 7], [2, 3]),
        tf.required_space_to_batch_paddings([4, 4], [2, 2], base_paddings=[[1, 0], [0, 1]]),
    ]


@case
def check_numerics_and_Assert_inside_function(tf):
    @tf.function
    def f(a):
        b = tf.debugging.check_numerics(tf.math.log(a), "log of a")
        tf.debugging.Assert(tf.reduce_all(a < 100.0), ["a too big", a])
        return b

    out = [f(tf.constant([1.0]))]
    for value in ([-1.0], [200.0], [2.0]):
        try:
            out.append(f(tf.constant(value)))
        except Exception as exc:  # noqa: BLE001
            out.append(type(exc).__name__)
    return out


@case
def config_optimizer_and_legacy_switches(tf):
    out = [
        tf.config.optimizer.get_jit(),
        tf.config.optimizer.get_experimental_options(),
        tf.config.experimental.get_synchronous_execution(),
        tf.config.experimental.get_device_policy(),
        tf.config.experimental.get_memory_usage("CPU:0"),
        tf.config.experimental_functions_run_eagerly(),
        tf.config.experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration,
        tf.config.experimental.get_virtual_device_configuration(tf.config.list_physical_devices("CPU")[0]),
    ]
    tf.config.optimizer.set_jit(True)
    out.append(tf.config.optimizer.get_jit())
    tf.config.optimizer.set_jit(False)
    out.append(tf.config.optimizer.get_jit())
    return out


@case
def test_helpers(tf):
    import contextlib
    import io

    class T(tf.test.TestCase):
        @tf.test.disable_with_predicate(pred=lambda: True, skip_message="skipped here")
        def test_skipped(self):
            pass

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tf.test.Benchmark().report_benchmark(iters=2, wall_time=0.5, name="x")
    result = T("test_skipped").run()
    return [
        buffer.getvalue().split("entry {")[1].split("}")[0].split(),
        [reason for _, reason in result.skipped],
        tf.test.with_eager_op_as_function(T) is T,
        tf.test.experimental.sync_devices(),
    ]


@case
def math_betainc(tf):
    a = tf.constant([0.5, 1.0, 2.0, 5.0, 30.0, 2.0, 2.0, -1.0])
    b = tf.constant([0.5, 3.0, 3.0, 0.7, 20.0, 2.0, 2.0, 1.0])
    x = tf.constant([0.2, 0.5, 0.5, 0.99, 0.6, 0.0, 1.0, 0.5])
    return [
        tf.math.betainc(a, b, x),
        tf.math.betainc(tf.constant([1.5], tf.float64), tf.constant([2.5], tf.float64), tf.constant([0.3], tf.float64)),
    ]


@case
def variable_enums(tf):
    v = tf.Variable(
        1.0,
        aggregation=tf.VariableAggregation.MEAN,
        synchronization=tf.VariableSynchronization.ON_READ,
        trainable=False,
    )
    return [
        [(m.name, m.value) for m in tf.VariableAggregation],
        [(m.name, m.value) for m in tf.VariableSynchronization],
        [tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT, tf.AggregationMethod.EXPERIMENTAL_TREE],
        float(v.numpy()),
        tf.is_symbolic_tensor(tf.constant(1)),
        tf.no_gradient("MyOp"),
    ]


@case
def device_spec(tf):
    names = [
        "/job:worker/replica:0/task:1/device:GPU:0",
        "/cpu:0",
        "/GPU:1",
        "GPU:0",
        "/device:CPU:*",
        "/job:ps",
        "",
        "/task:2/gpu:3",
    ]
    out = []
    for name in names:
        d = tf.DeviceSpec.from_string(name)
        out.append([d.to_string(), d.job, d.replica, d.task, d.device_type, d.device_index])
    d = tf.DeviceSpec(job="ps", device_type="gpu", device_index=1)
    out.append(
        [
            d.to_string(),
            d.replace(task=3).to_string(),
            d.make_merged_spec(tf.DeviceSpec(task=2, device_index=0)).to_string(),
            tf.DeviceSpec(job="a") == tf.DeviceSpec.from_string("/job:a"),
        ]
    )
    return out


@case
def device_spec_unknown_field(tf):
    return tf.DeviceSpec.from_string("/bogus:1")


@case
def indexed_slices_dense(tf):
    s = tf.IndexedSlices(
        values=tf.constant([[1.0, 2.0], [3.0, 4.0]]), indices=tf.constant([1, 1]), dense_shape=tf.constant([3, 2])
    )
    return [tf.convert_to_tensor(s), list(s.shape), s.values, s.indices]


class Meters:
    def __init__(self, value):
        self.value = value


@case
def register_tensor_conversion_function(tf):
    calls = []

    def convert(value, dtype=None, name=None, as_ref=False):
        calls.append(dtype is None)
        return tf.constant(value.value, dtype=dtype or tf.float32)

    tf.register_tensor_conversion_function(Meters, convert)
    return [
        tf.convert_to_tensor(Meters([1.0, 2.0])),
        tf.add(Meters(2.0), tf.constant(1.0)),
        tf.convert_to_tensor(Meters(3.0), dtype=tf.float64),
        tf.reduce_sum(Meters([1.0, 2.0, 3.0])),
    ]


@case
def register_tensor_conversion_function_refuses_builtins(tf):
    tf.register_tensor_conversion_function(float, lambda v, dtype=None, name=None, as_ref=False: v)
