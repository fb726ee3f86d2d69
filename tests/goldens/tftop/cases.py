"""Top-level tfdata2 names (as_string, edit_distance, fingerprint, TypeSpecs) run under real TF
(record.py) and capas (tests/test_tftop_goldens.py), with the tf.saved_model constants and
options. Each case sets `value`."""

import numpy as np

_SP = "tf.sparse.SparseTensor"

_EX = (
    "def feat(kind, values):\n"
    "    if kind == 'i':\n"
    "        return tf.train.Feature(int64_list=tf.train.Int64List(value=values))\n"
    "    if kind == 'f':\n"
    "        return tf.train.Feature(float_list=tf.train.FloatList(value=values))\n"
    "    return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))\n"
    "def example(**kw):\n"
    "    return tf.train.Example(features=tf.train.Features(feature={k: feat(*v) for k, v in kw.items()}))"
    ".SerializeToString()\n"
    "e1 = example(seq=('i', [1, 2, 3, 4]), idx=('i', [3, 0]), val=('f', [0.5, 1.5]), r=('b', [b'a', b'b']))\n"
    "e2 = example(seq=('i', [5, 6]), idx=('i', [2]), val=('f', [2.5]), r=('b', [b'c']))\n"
    "e3 = example(idx=('i', []), val=('f', []))\n"
    "def seq_example(context, lists):\n"
    "    return tf.train.SequenceExample(\n"
    "        context=tf.train.Features(feature={k: feat(*v) for k, v in context.items()}),\n"
    "        feature_lists=tf.train.FeatureLists(feature_list={\n"
    "            k: tf.train.FeatureList(feature=[feat(kind, f) for f in frames]) for k, (kind, frames) in lists.items()}))"
    ".SerializeToString()\n"
    "s1 = seq_example({'id': ('i', [7])}, {'tok': ('i', [[1, 2], [3, 4], [5, 6]]), 'var': ('f', [[1.0], [], [2.0, 3.0]])})\n"
    "s2 = seq_example({'id': ('i', [8])}, {'tok': ('i', [[9, 9]]), 'var': ('f', [[4.0, 5.0, 6.0]])})\n"
    "ctx = {'id': tf.io.FixedLenFeature([], tf.int64)}\n"
    "sq = {'tok': tf.io.FixedLenSequenceFeature([2], tf.int64), 'var': tf.io.VarLenFeature(tf.float32)}\n"
)

CASES = {
    "as_string_float": "value = tf.as_string(tf.constant([1.5, -2.25, 1e10], tf.float32))",
    "as_string_precision": "value = tf.as_string(tf.constant([1.5, 2.0], tf.float64), precision=2)",
    "as_string_scientific": "value = tf.as_string(tf.constant([1234.5], tf.float32), scientific=True)",
    "as_string_shortest": "value = tf.as_string(tf.constant([0.1, 1234567.0, 1e-7], tf.float32), shortest=True)",
    "as_string_int_width_fill": "value = tf.as_string(tf.constant([[7, -3]], tf.int32), width=4, fill='0')",
    "as_string_int_width": "value = tf.as_string(tf.constant([7, 123], tf.int64), width=3)",
    "as_string_bool": "value = tf.as_string(tf.constant([True, False]))",
    "as_string_int_precision": "value = tf.as_string(tf.constant([1]), precision=2)",
    "edit_distance_basic": (
        f"h = {_SP}([[0, 0], [0, 1], [1, 0]], ['a', 'b', 'x'], [2, 2])\n"
        f"t = {_SP}([[0, 0], [0, 1], [0, 2], [1, 0]], ['a', 'c', 'd', 'x'], [2, 3])\n"
        "value = (tf.edit_distance(h, t), tf.edit_distance(h, t, normalize=False))"
    ),
    "edit_distance_empty_truth": (
        f"h = {_SP}([[0, 0]], [1], [2, 1])\n"
        f"t = {_SP}(np.zeros((0, 2), 'int64'), np.zeros((0,), 'int32'), [2, 1])\n"
        "value = (tf.edit_distance(h, t), tf.edit_distance(h, t, normalize=False))"
    ),
    "edit_distance_3d": (
        f"h = {_SP}([[0, 0, 0], [1, 0, 1]], [1.0, 2.0], [2, 1, 2])\n"
        f"t = {_SP}([[0, 0, 0], [0, 0, 1], [1, 0, 0]], [1.0, 3.0, 2.0], [2, 1, 2])\n"
        "value = tf.edit_distance(h, t)"
    ),
    "fingerprint_int32": "value = tf.fingerprint(tf.constant([[1, 2], [3, 4]], tf.int32))",
    "fingerprint_float": "value = tf.fingerprint(tf.constant([1.5, -2.0, 0.0], tf.float32))",
    "fingerprint_uint8_3d": "value = tf.fingerprint(tf.constant(np.arange(24, dtype='uint8').reshape(2, 3, 4)))",
    "fingerprint_strings": "value = tf.fingerprint(tf.constant(['abc', '', 'hello world']))",
    "fingerprint_string_rows": "value = tf.fingerprint(tf.constant([['a', 'b'], ['c', 'd']]))",
    "spec_of_tensor": "value = describe(tf.type_spec_from_value(tf.zeros([2, 3])))",
    "spec_of_int_list": "value = describe(tf.type_spec_from_value([1, 2, 3]))",
    "spec_of_string": "value = describe(tf.type_spec_from_value(tf.constant(['a', 'b'])))",
    "spec_of_sparse": f"value = describe(tf.type_spec_from_value({_SP}([[0, 1]], [2.0], [2, 3])))",
    "spec_of_ragged": "value = describe(tf.type_spec_from_value(tf.ragged.constant([[1, 2], [3]])))",
    "spec_of_dataset": "value = describe(tf.type_spec_from_value(tf.data.Dataset.range(3)))",
    "spec_isinstance": (
        "value = [isinstance(s, tf.TypeSpec) for s in (tf.TensorSpec([1]), tf.SparseTensorSpec([1]),\n"
        "         tf.RaggedTensorSpec([1, None]), tf.TensorArraySpec([2]), tf.NoneTensorSpec(),\n"
        "         tf.IndexedSlicesSpec([3]), tf.OptionalSpec(tf.TensorSpec([])))]"
    ),
    "spec_sparse_eq_compat": (
        "a = tf.SparseTensorSpec([None, 3], tf.float32)\n"
        f"value = (a == tf.SparseTensorSpec([None, 3]), a == tf.SparseTensorSpec([2, 3]),\n"
        f"         a.is_compatible_with(tf.SparseTensorSpec([2, 3])), a.is_compatible_with({_SP}([[0, 0]], [1.0], [5, 3])),\n"
        "         a.is_compatible_with(tf.SparseTensorSpec([2, 4])), a.is_compatible_with(tf.TensorSpec([2, 3])),\n"
        "         describe(a))"
    ),
    "spec_tensor_array": (
        "s = tf.TensorArraySpec([2], tf.int32, dynamic_size=True)\n"
        "value = (s == tf.TensorArraySpec([2], tf.int32, dynamic_size=True), s == tf.TensorArraySpec([2], tf.int32),\n"
        "         s == tf.TensorArraySpec([3], tf.int32, dynamic_size=True), s.value_type.__name__)"
    ),
    "spec_indexed_slices": (
        "s = tf.IndexedSlicesSpec([5, 2], tf.float32)\n"
        "value = (s == tf.IndexedSlicesSpec([5, 2], tf.float32), s == tf.IndexedSlicesSpec([5, 2], tf.float64),\n"
        "         s.value_type.__name__)"
    ),
    "spec_optional": (
        "s = tf.OptionalSpec(tf.TensorSpec([2], tf.int32))\n"
        "value = (s == tf.OptionalSpec(tf.TensorSpec([2], tf.int32)), s == tf.OptionalSpec(tf.TensorSpec([3], tf.int32)),\n"
        "         issubclass(s.value_type, tf.experimental.Optional))"
    ),
    "spec_none": "value = (tf.NoneTensorSpec() == tf.NoneTensorSpec(), type(tf.NoneTensorSpec()).__name__)",
    "tensor_proto_float_list": "p = tf.make_tensor_proto([1.5, 2.0, -3.25])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_int_matrix": "p = tf.make_tensor_proto([[1, 2], [3, 4]])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_scalar_float": "p = tf.make_tensor_proto(2.5)\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_scalar_int": "p = tf.make_tensor_proto(7)\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_np_int64": "p = tf.make_tensor_proto(np.arange(5, dtype='int64'))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_np_float64": "p = tf.make_tensor_proto(np.array([[0.5], [1.5]]))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_np_uint8": "p = tf.make_tensor_proto(np.arange(6, dtype='uint8').reshape(2, 3))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_np_float16": "p = tf.make_tensor_proto(np.array([1.0, 0.5], dtype='float16'))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_np_float16_scalar": "p = tf.make_tensor_proto(np.float16(0.5))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_bools": "p = tf.make_tensor_proto([True, False, True])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_bool_scalar": "p = tf.make_tensor_proto(True)\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_strings": "p = tf.make_tensor_proto(['ab', 'c'])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_string_scalar": "p = tf.make_tensor_proto(b'xyz')\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_complex": "p = tf.make_tensor_proto(np.array([1 + 2j], dtype='complex64'))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_broadcast_shape": "p = tf.make_tensor_proto(*(1.0, {'shape': [2, 3]})[:1], **(1.0, {'shape': [2, 3]})[1])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_dtype_cast": "p = tf.make_tensor_proto(*([1, 2], {'dtype': tf.float32})[:1], **([1, 2], {'dtype': tf.float32})[1])\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "tensor_proto_empty": "p = tf.make_tensor_proto(np.zeros((0, 3), 'float32'))\nvalue = (p.SerializeToString(), tf.make_ndarray(p))",
    "decode_json_example": (
        "import json\n"
        "a = {'features': {'feature': {'a': {'int64List': {'value': ['3', '-1']}}}}}\n"
        "b = {'features': {'feature': {'b': {'bytesList': {'value': ['aGk=']}}, 'c': {'floatList': {'value': [0.5]}}}}}\n"
        "value = tf.io.decode_json_example([json.dumps(a), json.dumps(b)])"
    ),
    "decode_json_example_bad": "value = tf.io.decode_json_example('{\"nope\": 1}')",
    "serialize_sparse": (f"sp = {_SP}([[0, 1], [1, 2]], [5, 6], [2, 3])\nvalue = tf.io.serialize_sparse(sp)"),
    "serialize_sparse_strings": (f"sp = {_SP}([[0], [3]], ['a', 'bc'], [4])\nvalue = tf.io.serialize_sparse(sp)"),
    "serialize_many_sparse_roundtrip": (
        f"sp = {_SP}([[0, 0, 1], [0, 1, 0], [2, 0, 0]], [1.5, 2.5, 3.5], [3, 2, 2])\n"
        "ser = tf.io.serialize_many_sparse(sp)\n"
        "d = tf.io.deserialize_many_sparse(ser, tf.float32)\n"
        "value = (ser, d.indices, d.values, d.dense_shape)"
    ),
    "deserialize_many_sparse_of_serialize_sparse": (
        f"a = tf.io.serialize_sparse({_SP}([[0, 1]], [7], [2, 3]))\n"
        f"b = tf.io.serialize_sparse({_SP}([[2, 0], [0, 4]], [8, 9], [3, 5]))\n"
        "d = tf.io.deserialize_many_sparse(tf.stack([a, b]), tf.int32)\n"
        "value = (d.indices, d.values, d.dense_shape)"
    ),
    "deserialize_many_sparse_wrong_dtype": (
        f"a = tf.io.serialize_sparse({_SP}([[0, 1]], [7], [2, 3]))\n"
        "value = tf.io.deserialize_many_sparse(tf.stack([a]), tf.float32).values"
    ),
    "io_fixed_len_sequence_batch": _EX
    + (
        "spec = {'seq': tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}\n"
        "value = tf.io.parse_example([e1, e2, e3], spec)"
    ),
    "io_fixed_len_sequence_default": _EX
    + (
        "spec = {'seq': tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)}\n"
        "value = tf.io.parse_example([e1, e2], spec)"
    ),
    "io_fixed_len_sequence_single": _EX
    + "value = tf.io.parse_single_example(e1, {'seq': tf.io.FixedLenSequenceFeature([2], tf.int64)})",
    "io_fixed_len_sequence_single_allow_missing": _EX
    + "value = tf.io.parse_single_example(e1, {'seq': tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)})",
    "io_fixed_len_sequence_not_multiple": _EX
    + "value = tf.io.parse_single_example(e1, {'seq': tf.io.FixedLenSequenceFeature([3], tf.int64, allow_missing=True)})",
    "io_sparse_feature_batch": _EX
    + (
        "spec = {'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 5), 'seq': tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True)}\n"
        "value = tf.io.parse_example([e1, e2, e3], spec)"
    ),
    "io_sparse_feature_single": _EX
    + "value = tf.io.parse_single_example(e1, {'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 5)})",
    "io_sparse_feature_out_of_range": _EX
    + "value = tf.io.parse_single_example(e1, {'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 3)})",
    "io_ragged_feature_batch": _EX
    + "value = tf.io.parse_example([e1, e2], {'r': tf.io.RaggedFeature(tf.string, row_splits_dtype=tf.int64)})",
    "io_ragged_feature_value_key": _EX
    + "value = tf.io.parse_example([e1, e2, e3], {'x': tf.io.RaggedFeature(tf.int64, value_key='idx', row_splits_dtype=tf.int64)})",
    "io_ragged_feature_single": _EX
    + "value = tf.io.parse_single_example(e1, {'r': tf.io.RaggedFeature(tf.string, row_splits_dtype=tf.int64)})",
    "io_parse_sequence_example": _EX + "value = tf.io.parse_sequence_example([s1, s2], ctx, sq)",
    "io_parse_single_sequence_example": _EX + "value = tf.io.parse_single_sequence_example(s1, ctx, sq)",
    "io_parse_single_sequence_example_bad_frame": _EX
    + ("value = tf.io.parse_single_sequence_example(s1, ctx, {'var': tf.io.FixedLenSequenceFeature([1], tf.float32)})"),
    "saved_model_constants": (
        "names = ['ASSETS_DIRECTORY', 'ASSETS_KEY', 'CLASSIFY_INPUTS', 'CLASSIFY_METHOD_NAME', 'CLASSIFY_OUTPUT_CLASSES',\n"
        "         'CLASSIFY_OUTPUT_SCORES', 'DEBUG_DIRECTORY', 'DEBUG_INFO_FILENAME_PB', 'DEFAULT_SERVING_SIGNATURE_DEF_KEY',\n"
        "         'GPU', 'PREDICT_INPUTS', 'PREDICT_METHOD_NAME', 'PREDICT_OUTPUTS', 'REGRESS_INPUTS', 'REGRESS_METHOD_NAME',\n"
        "         'REGRESS_OUTPUTS', 'SAVED_MODEL_FILENAME_PB', 'SAVED_MODEL_FILENAME_PBTXT', 'SAVED_MODEL_SCHEMA_VERSION',\n"
        "         'SERVING', 'TPU', 'TRAINING', 'VARIABLES_DIRECTORY', 'VARIABLES_FILENAME']\n"
        "value = [[n, getattr(tf.saved_model, n)] for n in names]"
    ),
    "saved_model_options": (
        "s = tf.saved_model.SaveOptions(namespace_whitelist=['a'], function_aliases={'f': None})\n"
        "l = tf.saved_model.LoadOptions(allow_partial_checkpoint=True)\n"
        "value = (s.namespace_whitelist, sorted(s.function_aliases), s.save_debug_info, s.experimental_io_device,\n"
        "         l.allow_partial_checkpoint, l.experimental_skip_checkpoint)"
    ),
    "saved_model_asset": "value = tf.saved_model.Asset('vocab.txt').asset_path",
    "contains_saved_model": (
        "m = tf.Module(); m.v = tf.Variable(1.0)\n"
        "before = tf.saved_model.contains_saved_model(tmp)\n"
        "tf.saved_model.save(m, tmp + '/m')\n"
        "value = (before, tf.saved_model.contains_saved_model(tmp + '/m'))"
    ),
}


def _dtype_name(dtype):
    return getattr(dtype, "name", None) or str(dtype).replace("torch.", "")


def describe_shape(shape):
    return None if shape.rank is None else [None if d is None else int(d) for d in shape.as_list()]


def describe(spec):
    kind = type(spec).__name__
    if kind == "DatasetSpec":
        return [kind, describe(spec.element_spec)]
    return [kind, describe_shape(spec.shape), _dtype_name(spec.dtype)]


def encode(value):
    if isinstance(value, dict):
        return [[k, encode(v)] for k, v in sorted(value.items())]
    if type(value).__name__ in ("SparseTensor", "SparseTensorValue"):
        return ["sparse", encode(value.indices), encode(value.values), encode(value.dense_shape)]
    if type(value).__name__ == "RaggedTensor":
        return ["ragged", encode(value.flat_values), encode(value.row_lengths())]
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, bytes):
        return "b:" + value.decode("latin-1")
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if arr.dtype.kind in "OSU":
        return [
            "string",
            list(arr.shape),
            [x.decode("latin-1") if isinstance(x, bytes) else x for x in arr.ravel().tolist()],
        ]
    if arr.dtype.kind == "c":
        return [arr.dtype.name, list(arr.shape), [[x.real, x.imag] for x in arr.ravel().tolist()]]
    values = ["inf" if x == float("inf") else x for x in arr.ravel().tolist()]
    return [arr.dtype.name, list(arr.shape), values]


def run_case(tf, code, tmp):
    scope = {"tf": tf, "np": np, "tmp": tmp, "describe": describe, "describe_shape": describe_shape}
    exec(code, scope)  # noqa: S102 - the cases are this file's own code
    return {"value": encode(scope["value"])}
