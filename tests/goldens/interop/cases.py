"""The interop cases: TensorFlow code run as-is by record.py (real TF) and by the tests (capas).

Each case is a small program; what it leaves in `result` is described (kind, dtype, value) and
compared. `SETUP` runs first in a fresh namespace holding `tf` and `np`.
"""

SETUP = """
t = tf.constant([[1., 2.], [3., 4.]])
v = tf.Variable([1., 2.])
i = tf.constant([1, 2])
s = tf.constant(3.0)
a64 = np.array([1., 2.])
ai = np.array([1, 2])
x = tf.reshape(tf.range(24), (2, 3, 4))
"""

# point 1: numpy arrays, numpy scalars and lists as operands, numpy functions on tensors
OPERANDS = {
    "tensor_times_float64_array": "result = t * a64",
    "float64_array_times_tensor": "result = a64 * t",
    "array_minus_tensor": "result = a64 - t",
    "tensor_minus_array": "result = t - a64",
    "tensor_plus_int_array": "result = t + ai",
    "int_array_plus_tensor": "result = ai + t",
    "int_tensor_times_float_array": "result = i * np.array([1.5, 2.5])",
    "int_tensor_times_int_list": "result = i * [3, 4]",
    "int_tensor_times_float_list": "result = i * [1.5, 2.]",
    "variable_times_list": "result = v * [3., 4.]",
    "list_times_variable": "result = [3., 4.] * v",
    "list_matmul_tensor": "result = [[1., 2.]] @ t",
    "tensor_matmul_list": "result = t @ [[1.], [2.]]",
    "array_matmul_tensor": "result = np.eye(2) @ t",
    "tensor_matmul_array": "result = t @ np.eye(2)",
    "array_div_tensor": "result = a64 / t",
    "tensor_div_array": "result = t / a64",
    "array_pow_tensor": "result = a64 ** v",
    "tensor_eq_list": "result = t == [[1., 2.], [0., 4.]]",
    "array_lt_variable": "result = np.array([0., 3.]) < v",
    "variable_ge_array": "result = v >= np.array([0., 3.])",
    "numpy_scalar_times_tensor": "result = np.float64(2.) * t",
    "tensor_times_numpy_scalar": "result = t * np.float32(2.)",
    "numpy_scalar_minus_variable": "result = np.float32(2.) - v",
    "tuple_plus_tensor": "result = (1., 2.) + v",
}

NUMPY_FUNCTIONS = {
    "np_min": "result = np.min(t)",
    "np_max_axis0": "result = np.max(t, axis=0)",
    "np_sum": "result = np.sum(t)",
    "np_mean_axis0": "result = np.mean(t, axis=0)",
    "np_std": "result = np.std(t)",
    "np_argmax": "result = np.argmax(t)",
    "np_abs": "result = np.abs(t)",
    "np_square": "result = np.square(t)",
    "np_exp_scalar": "result = np.exp(s)",
    "np_array": "result = np.array(t)",
    "np_array_copy": "result = np.array(t, copy=True)",
    "np_asarray_variable": "result = np.asarray(v)",
    "np_concatenate": "result = np.concatenate([t, t])",
    "np_allclose": "result = np.allclose(t, t)",
    "np_multiply_function": "result = np.multiply(t, a64)",
    "np_dot": "result = np.dot(t, a64)",
}

# point 2: .numpy() is a value
NUMPY_VALUES = {
    "numpy_of_0d": "result = s.numpy()",
    "numpy_of_0d_int": "result = tf.constant(7).numpy()",
    "numpy_of_matrix": "result = t.numpy()",
    "numpy_of_variable": "result = v.numpy()",
    "numpy_of_0d_variable": "result = tf.Variable(2.5).numpy()",
    "numpy_is_a_copy": "w = tf.Variable([1., 2.])\nbefore = w.numpy()\nw.assign([5., 6.])\nresult = before",
    "numpy_copy_after_assign_add": "w = tf.Variable(1.)\nbefore = w.numpy()\nw.assign_add(1.)\nresult = [before.item(), w.numpy().item()]",
    "repr_0d_variable": "result = repr(tf.Variable(2.5, name='c'))",
    "numpy_of_reduction": "result = tf.reduce_sum(t).numpy()",
}

# point 3: tensor idioms
IDIOMS = {
    "reverse_first_axis": "result = x[::-1]",
    "reverse_step_minus_two": "result = x[:, ::-2]",
    "ellipsis_reverse_last": "result = x[..., ::-1]",
    "index_and_negative_ranges": "result = x[1, 2:0:-1, ::-3]",
    "negative_step_empty": "result = x[:, 0:2:-1]",
    "negative_step_with_newaxis": "result = x[::-1, tf.newaxis, 1]",
    "negative_step_on_variable": "result = v[::-1]",
    "negative_step_bounds": "result = x[0, -1:-4:-2, 3:-5:-1]",
    "shape_as_list": "result = t.shape.as_list()",
    "shape_rank": "result = t.shape.rank",
    "shape_ndims": "result = x.shape.ndims",
    "get_shape_as_list": "result = t.get_shape().as_list()",
    "shape_num_elements": "result = x.shape.num_elements()",
    "shape_is_fully_defined": "result = x.shape.is_fully_defined()",
    "shape_index": "result = x.shape[1]",
    "shape_equals_tuple": "result = t.shape == (2, 2)",
    "shape_is_compatible": "result = x.shape.is_compatible_with([2, None, 4])",
    "shape_of_variable": "result = v.shape.as_list()",
    "set_shape_compatible": "t.set_shape([None, 2])\nresult = t.shape.as_list()",
    "set_shape_incompatible": "t.set_shape([3, 2])\nresult = t",
    "dtype_name": "result = t.dtype.name",
    "int_dtype_name": "result = i.dtype.name",
    "variable_dtype_eq_string": "result = v.dtype == 'float32'",
    "dtype_ne_string": "result = v.dtype != 'float64'",
    "dtype_eq_numpy_type": "result = t.dtype == np.float32",
    "dtype_eq_other_string": "result = tf.float32 == 'float64'",
    "tf_float32_name": "result = tf.float32.name",
    "dtype_is_floating": "result = [t.dtype.is_floating, i.dtype.is_floating, i.dtype.is_integer]",
    "dtype_as_numpy": "result = i.dtype.as_numpy_dtype",
    "dtype_max": "result = tf.int8.max",
    "dtype_size": "result = tf.float64.size",
}

GROUPS = {
    "operands": OPERANDS,
    "numpy_functions": NUMPY_FUNCTIONS,
    "numpy_values": NUMPY_VALUES,
    "idioms": IDIOMS,
}


def describe(value, is_tensor, is_variable):
    """A JSON-able description: kind, dtype and value. `is_tensor`/`is_variable` tell the frameworks apart."""
    import numpy as np

    if is_variable(value):
        return {
            "kind": "variable",
            "dtype": np.asarray(value).dtype.name,
            "value": np.asarray(value).tolist(),
        }
    if is_tensor(value):
        array = np.asarray(value)
        return {"kind": "tensor", "dtype": array.dtype.name, "value": array.tolist()}
    if isinstance(value, np.ndarray):
        return {"kind": "ndarray", "dtype": value.dtype.name, "value": value.tolist()}
    if isinstance(value, np.generic):
        return {
            "kind": "numpy_scalar",
            "dtype": value.dtype.name,
            "value": value.item(),
        }
    if isinstance(value, type):
        return {"kind": "type", "value": value.__name__}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return {"kind": type(value).__name__, "value": value}
    if isinstance(value, list):
        return {
            "kind": "list",
            "value": [describe(v, is_tensor, is_variable) for v in value],
        }
    return {"kind": "other", "value": repr(value)}


def run_case(tf, np, code, is_tensor, is_variable):
    """Run one case; return its description, or the exception's class name."""
    namespace = {"tf": tf, "np": np}
    exec(SETUP, namespace)  # noqa: S102 - the cases are this file's own TF programs
    try:
        exec(code, namespace)  # noqa: S102
    except Exception as error:  # noqa: BLE001 - the class is the recorded result
        return {"kind": "error", "value": type(error).__name__}
    return describe(namespace["result"], is_tensor, is_variable)
