"""Record TensorFlow's answers for the tfcore tests (tf.Module, tf.train, tf.errors, strings, ...).

Run with real TensorFlow (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/tfcore/record.py

It writes `goldens.json` next to this file.
"""

import json
import os
import tempfile

import numpy as np
import tensorflow as tf

OUT = {}


def py(x):
    """Tensors, arrays, bytes -> JSON-friendly values (bytes as latin-1 strings tagged 'b:')."""
    if isinstance(x, (tf.Tensor, tf.Variable)):
        x = x.numpy()
    if isinstance(x, tf.RaggedTensor):
        return py(x.to_list())
    if isinstance(x, np.ndarray):
        return py(x.tolist())
    if isinstance(x, bytes):
        return "b:" + x.decode("latin-1")
    if isinstance(x, (list, tuple)):
        return [py(v) for v in x]
    if isinstance(x, np.generic):
        return py(x.item())
    return x


# -- version -----------------------------------------------------------------
OUT["version"] = {
    "attrs": sorted(n for n in dir(tf.version) if not n.startswith("_")),
    "version_is_str": isinstance(tf.__version__, str),
    "VERSION_eq___version__": tf.version.VERSION == tf.__version__,
}


# -- tf.Module ---------------------------------------------------------------
class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
            self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class MyModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.z_var = tf.Variable(1.0, name="z")
        self.a_list = [
            tf.Variable(2.0, name="l0"),
            tf.Variable(3.0, name="l1", trainable=False),
        ]
        self.m_dict = {
            "k2": tf.Variable(4.0, name="d2"),
            "k1": tf.Variable(5.0, name="d1"),
        }
        self.b_tuple = (tf.Variable(6.0, name="t0"),)
        self.dense_2 = Dense(2, 3, name="second")
        self.dense_1 = Dense(3, 1)

    @tf.Module.with_name_scope
    def make(self):
        return tf.Variable(0.0, name="made")


m = MyModule()
made = m.make()
OUT["module"] = {
    "name": m.name,
    "name_scope": m.name_scope.name,
    "variables": [v.name for v in m.variables],
    "trainable_variables": [v.name for v in m.trainable_variables],
    "submodules": [s.name for s in m.submodules],
    "made": made.name,
    "dense_default_name": Dense(1, 1).name,
    "keras_layer_is_module": isinstance(tf.keras.layers.Dense(1), tf.Module),
}
try:
    tf.Module(name="bad name")
    OUT["module"]["bad_name_error"] = None
except Exception as e:  # noqa: BLE001
    OUT["module"]["bad_name_error"] = type(e).__name__


# -- tf.train.Checkpoint -----------------------------------------------------
def model_and_opt():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])
    opt = tf.keras.optimizers.Adam(0.1)
    x = np.ones((2, 3), "float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return model, opt


tmp = tempfile.mkdtemp()
model, opt = model_and_opt()
step = tf.Variable(7, name="step")
ckpt = tf.train.Checkpoint(step=step, model=model, module=Dense(2, 2, name="mod"))
prefix = os.path.join(tmp, "ckpt")
p1 = ckpt.save(prefix)
p2 = ckpt.save(prefix)
w = ckpt.write(os.path.join(tmp, "written"))
listed = tf.train.list_variables(p2)
OUT["checkpoint"] = {
    "save_1": os.path.relpath(p1, tmp),
    "save_2": os.path.relpath(p2, tmp),
    "write": os.path.relpath(w, tmp),
    "latest": os.path.relpath(tf.train.latest_checkpoint(tmp), tmp),
    "list_variables": [[n, list(s)] for n, s in listed],
    "step_value": py(tf.train.load_variable(p2, "step/.ATTRIBUTES/VARIABLE_VALUE")),
    "save_counter": py(tf.train.load_variable(p2, "save_counter/.ATTRIBUTES/VARIABLE_VALUE")),
}
tmp2 = tempfile.mkdtemp()
mgr = tf.train.CheckpointManager(tf.train.Checkpoint(step=tf.Variable(1)), tmp2, max_to_keep=2)
saved = [os.path.relpath(mgr.save(), tmp2) for _ in range(3)]
OUT["manager"] = {
    "saved": saved,
    "checkpoints": [os.path.relpath(c, tmp2) for c in mgr.checkpoints],
    "latest": os.path.relpath(mgr.latest_checkpoint, tmp2),
    "files": sorted(os.listdir(tmp2)),
    "latest_none": tf.train.latest_checkpoint(tempfile.mkdtemp()),
}

# -- tf.errors ---------------------------------------------------------------
names = [
    "OpError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "UnimplementedError",
    "CancelledError",
    "UnknownError",
    "DeadlineExceededError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "AbortedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "UnauthenticatedError",
]
OUT["errors"] = {"codes": {}}
for n in names:
    cls = getattr(tf.errors, n)
    if n != "OpError":
        OUT["errors"]["codes"][n] = cls(None, None, "msg").error_code
OUT["errors"]["constants"] = {k: getattr(tf.errors, k) for k in dir(tf.errors) if k.isupper()}


def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return None


OUT["errors"]["raised"] = {
    "matmul": raised(lambda: tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))),
    "reshape": raised(lambda: tf.reshape(tf.ones((2, 3)), (4, 2))),
    "add": raised(lambda: tf.add(tf.ones((2, 3)), tf.ones((3, 2)))),
    "concat": raised(lambda: tf.concat([tf.ones((2, 3)), tf.ones((2, 2))], axis=0)),
    "operator_add": raised(lambda: tf.ones((2, 3)) + tf.ones((4, 3))),
    "operator_matmul": raised(lambda: tf.ones((2, 3)) @ tf.ones((2, 3))),
    "gather_out_of_range": raised(lambda: tf.gather(tf.constant([1, 2, 3]), [5])),
    "read_file_missing": raised(lambda: tf.io.read_file("/nonexistent/file.txt")),
    "to_number_bad": raised(lambda: tf.strings.to_number("abc")),
}

# -- TensorArray -------------------------------------------------------------
ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
for i in range(3):
    ta = ta.write(i, tf.fill([2], float(i)))
tb = tf.TensorArray(tf.int32, size=3)
tb = tb.unstack(tf.constant([[1, 2], [3, 4], [5, 6]]))
tc = tf.TensorArray(tf.float32, size=2, infer_shape=False)
tc = tc.write(0, tf.ones([2])).write(1, tf.zeros([3]))
OUT["tensor_array"] = {
    "stack": py(ta.stack()),
    "size": py(ta.size()),
    "read1": py(ta.read(1)),
    "gather": py(ta.gather([2, 0])),
    "concat": py(ta.concat()),
    "unstack_read": py(tb.read(2)),
    "unstack_stack": py(tf.TensorArray(tf.int32, size=3).unstack(tf.constant([[1, 2], [3, 4], [5, 6]])).stack()),
    "ragged_concat": py(tc.concat()),
    "fixed_oob_write": raised(lambda: tf.TensorArray(tf.float32, size=2).write(5, 1.0)),
    "dtype": ta.dtype.name,
}

# -- py_function / numpy_function -------------------------------------------
OUT["py_function"] = {
    "py": py(
        tf.py_function(
            lambda a, b: a * b + 1,
            [tf.constant(2.0), tf.constant(3.0)],
            Tout=tf.float32,
        )
    ),
    "np": py(
        tf.numpy_function(
            lambda a: (a * 2).astype(np.float32),
            [np.arange(3, dtype=np.float32)],
            tf.float32,
        )
    ),
    "multi": py(tf.py_function(lambda a: (a + 1, a - 1), [tf.constant([1, 2])], Tout=[tf.int32, tf.int32])),
}

# -- strings -----------------------------------------------------------------
s = tf.constant(["Hello World", "  TensorFlow rocks  ", "a,b,,c"])
OUT["strings"] = {
    "constant": py(s),
    "dtype": s.dtype.name,
    "shape": list(s.shape),
    "scalar": py(tf.constant("héllo")),
    "repr_scalar": repr(tf.constant("ab")),
    "eq": py(s == tf.constant(["Hello World", "x", "a,b,,c"])),
    "lower": py(tf.strings.lower(s)),
    "upper": py(tf.strings.upper(s)),
    "strip": py(tf.strings.strip(s)),
    "length": py(tf.strings.length(s)),
    "length_utf8": py(tf.strings.length(tf.constant(["héllo"]), unit="UTF8_CHAR")),
    "length_bytes": py(tf.strings.length(tf.constant(["héllo"]))),
    "split_default": py(tf.strings.split(s)),
    "split_comma": py(tf.strings.split(s, sep=",")),
    "split_scalar": py(tf.strings.split(tf.constant("a b  c"))),
    "split_maxsplit": py(tf.strings.split(tf.constant(["a b c d"]), maxsplit=1)),
    "regex_replace": py(tf.strings.regex_replace(s, "[aeiou]", "_")),
    "regex_replace_first": py(tf.strings.regex_replace(s, "o", "0", replace_global=False)),
    "regex_full_match": py(tf.strings.regex_full_match(s, ".*o.*")),
    "join": py(tf.strings.join([tf.constant(["a", "b"]), tf.constant(["c", "d"])], separator="-")),
    "join_scalar": py(tf.strings.join(["x", tf.constant(["c", "d"])])),
    "reduce_join": py(tf.strings.reduce_join(tf.constant([["a", "b"], ["c", "d"]]), axis=1, separator=" ")),
    "reduce_join_all": py(tf.strings.reduce_join(tf.constant([["a", "b"], ["c", "d"]]))),
    "substr": py(tf.strings.substr(s, 1, 4)),
    "to_number": py(tf.strings.to_number(tf.constant(["1.5", "-2", "3e2"]))),
    "to_number_int": py(tf.strings.to_number(tf.constant(["12", "-3"]), out_type=tf.int32)),
    "as_string_int": py(tf.strings.as_string(tf.constant([1, -20]))),
    "as_string_float": py(tf.strings.as_string(tf.constant([1.5, 2.0, 1e-7]))),
    "as_string_precision": py(tf.strings.as_string(tf.constant([3.14159]), precision=2)),
    "unicode_split": py(tf.strings.unicode_split(tf.constant(["héllo", "ab"]), "UTF-8")),
    "unicode_decode": py(tf.strings.unicode_decode(tf.constant(["héllo", "ab"]), "UTF-8")),
    "bytes_split": py(tf.strings.bytes_split(tf.constant(["ab", "c"]))),
    "bytes_split_scalar": py(tf.strings.bytes_split(tf.constant("héy"))),
    "str_dtype_repr": repr(tf.string),
    "string_name": tf.string.name,
}
ds = tf.data.Dataset.from_tensor_slices(tf.constant(["a b", "c", "d e f"])).batch(2)
OUT["strings"]["dataset_batches"] = [py(b) for b in ds]
tv = tf.keras.layers.TextVectorization(max_tokens=10, output_sequence_length=4)
tv.adapt(tf.constant(["the cat sat", "the dog", "The Cat"]))
OUT["strings"]["text_vectorization"] = py(tv(tf.constant(["the cat", "a dog sat down"])))
OUT["strings"]["text_vectorization_vocab"] = py(tv.get_vocabulary())
sl = tf.keras.layers.StringLookup(vocabulary=["a", "b", "c"])
OUT["strings"]["string_lookup"] = py(sl(tf.constant([["a", "c"], ["z", "b"]])))
inv = tf.keras.layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
OUT["strings"]["string_lookup_invert"] = py(inv(tf.constant([[1, 3], [0, 2]])))
OUT["strings"]["hashing"] = py(tf.keras.layers.Hashing(num_bins=5)(tf.constant([["a"], ["b"], ["c"]])))

# -- io ----------------------------------------------------------------------
fname = os.path.join(tmp, "f.txt")
tf.io.write_file(fname, tf.constant("hello\nworld"))
OUT["io"] = {
    "read_file": py(tf.io.read_file(fname)),
    "roundtrip": py(tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([[1.0, 2.0]])), tf.float32)),
    "gfile_exists": tf.io.gfile.exists(fname),
    "glob": [os.path.basename(p) for p in tf.io.gfile.glob(os.path.join(tmp, "*.txt"))],
}

# -- sparse ------------------------------------------------------------------
sp = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[3.0, 4.0], dense_shape=[3, 2])
fd = tf.sparse.from_dense(tf.constant([[0, 5], [7, 0]]))
OUT["sparse"] = {
    "to_dense": py(tf.sparse.to_dense(sp)),
    "from_dense_indices": py(fd.indices),
    "from_dense_values": py(fd.values),
    "from_dense_shape": py(fd.dense_shape),
    "matmul": py(tf.sparse.sparse_dense_matmul(sp, tf.constant([[1.0, 2.0], [3.0, 4.0]]))),
    "indices_dtype": sp.indices.dtype.name,
}

# -- ragged ------------------------------------------------------------------
rt = tf.ragged.constant([[1, 2, 3], [], [4]])
OUT["ragged"] = {
    "to_tensor": py(rt.to_tensor()),
    "to_tensor_default": py(rt.to_tensor(default_value=-1)),
    "row_lengths": py(rt.row_lengths()),
    "flat_values": py(rt.flat_values),
    "to_list": py(rt.to_list()),
    "dtype": rt.dtype.name,
    "shape": [None if d is None else d for d in rt.shape.as_list()],
    "float_dtype": tf.ragged.constant([[1.0], [2.0, 3.0]]).dtype.name,
    "nrows": py(rt.nrows()),
}

# -- extras: ragged ops, more sparse, unicode_encode, load_checkpoint --------
digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
OUT["ragged_ops"] = {
    "add": py(tf.add(digits, 3)),
    "multiply_ragged": py(tf.multiply(digits, digits)),
    "reduce_mean": py(tf.reduce_mean(digits, axis=1)),
    "reduce_mean_dtype": tf.reduce_mean(digits, axis=1).dtype.name,
    "reduce_sum": py(tf.reduce_sum(digits, axis=1)),
    "reduce_max": py(tf.reduce_max(digits, axis=1)),
    "concat": py(tf.concat([digits, [[5, 3]]], axis=0)),
    "map_flat_values": py(tf.ragged.map_flat_values(lambda x: x * 2, digits)),
    "from_value_rowids": py(
        tf.RaggedTensor.from_value_rowids(values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 3])
    ),
    "from_tensor": py(tf.RaggedTensor.from_tensor(tf.constant([[1, 2, 0], [3, 0, 0]]), padding=0)),
    "bounding_shape": py(digits.bounding_shape()),
    "rows1to3": py(digits[1:3]),
}
st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[8, 10])
st_b = tf.sparse.SparseTensor(indices=[[0, 2], [7, 0]], values=[56, 38], dense_shape=[8, 10])
summed = tf.sparse.add(st_a, st_b)
unordered = tf.sparse.SparseTensor(indices=[[2, 1], [0, 0]], values=[5.0, 7.0], dense_shape=[3, 3])
sliced = tf.sparse.slice(st_a, start=[0, 0], size=[4, 3])
OUT["sparse_ops"] = {
    "add_indices": py(summed.indices),
    "add_values": py(summed.values),
    "reorder_indices": py(tf.sparse.reorder(unordered).indices),
    "reorder_values": py(tf.sparse.reorder(unordered).values),
    "reduce_sum_axis1": py(tf.sparse.reduce_sum(st_a, axis=1)),
    "reduce_sum_all": py(tf.sparse.reduce_sum(st_a)),
    "slice_indices": py(sliced.indices),
    "slice_values": py(sliced.values),
    "slice_shape": py(sliced.dense_shape),
}
OUT["strings"]["unicode_encode"] = py(tf.strings.unicode_encode(tf.constant([104, 233, 121]), "UTF-8"))
OUT["strings"]["unicode_encode_ragged"] = py(
    tf.strings.unicode_encode(tf.ragged.constant([[104, 105], [233]]), "UTF-8")
)
reader = tf.train.load_checkpoint(p2)
OUT["checkpoint"]["reader_step"] = py(reader.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE"))
OUT["checkpoint"]["reader_has_step"] = reader.has_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")

# -- tf.train.Example and TFRecord files (bytes TF writes, for capas to read) --
here = os.path.dirname(os.path.abspath(__file__))
one = tf.train.Example(
    features=tf.train.Features(feature={"n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7, -3, 300]))})
)
multi = tf.train.Example(
    features=tf.train.Features(
        feature={
            "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[4])),
            "f": tf.train.Feature(float_list=tf.train.FloatList(value=[0.9876, -1.5])),
            "s": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"goat", b""])),
        }
    )
)
with tf.io.TFRecordWriter(os.path.join(here, "records.tfrecord")) as writer:
    writer.write(b"first")
    writer.write(multi.SerializeToString())
    writer.write(b"")
spec = {
    "i": tf.io.FixedLenFeature([], tf.int64, default_value=0),
    "f": tf.io.FixedLenFeature([2], tf.float32),
    "s": tf.io.FixedLenFeature([2], tf.string),
    "missing": tf.io.FixedLenFeature([], tf.float32, default_value=1.5),
}
parsed = tf.io.parse_single_example(multi.SerializeToString(), spec)
OUT["example"] = {
    "one_hex": one.SerializeToString().hex(),
    "multi_hex": multi.SerializeToString().hex(),
    "float_value": tf.train.FloatList(value=[np.exp(1)]).value[0],
    "parsed": {k: py(v) for k, v in parsed.items()},
    "parsed_dtypes": {k: v.dtype.name for k, v in parsed.items()},
    "records": [py(r) for r in tf.data.TFRecordDataset([os.path.join(here, "records.tfrecord")])],
    "missing_error": raised(
        lambda: tf.io.parse_single_example(one.SerializeToString(), {"zz": tf.io.FixedLenFeature([], tf.int64)})
    ),
}

# -- tf.io.decode_csv ----------------------------------------------------------
csv_defaults = [
    tf.constant(0, dtype=tf.int32),
    tf.constant("", dtype=tf.string),
    0.0,
    0.0,
    "",
]
decoded = tf.io.decode_csv(
    tf.constant(["0,male,22.0,7.25,Third", "1,,,3.5,First"]),
    record_defaults=csv_defaults,
)
OUT["decode_csv"] = {
    "values": [py(c) for c in decoded],
    "dtypes": [c.dtype.name for c in decoded],
    "select": [py(c) for c in tf.io.decode_csv(["1,a,2.5"], record_defaults=[0, 0.0], select_cols=[0, 2])],
    "missing_required": raised(lambda: tf.io.decode_csv(["1,"], record_defaults=[0, tf.constant([], tf.int32)])),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")
with open(path, "w") as f:
    json.dump(OUT, f, indent=1, sort_keys=True, ensure_ascii=False)
print("wrote", path)
