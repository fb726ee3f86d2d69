"""tf.version, tf.io, tf.sparse, tf.ragged, tf.saved_model and the tf.metrics/losses/optimizers aliases."""

import json
import os
import pathlib

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras

GOLD = json.loads((pathlib.Path(__file__).parent / "goldens" / "tfcore" / "goldens.json").read_text())


def test_version_names_match_tf():
    g = GOLD["version"]
    assert sorted(n for n in dir(tf.version) if n.isupper() and not n.startswith("CAPAS")) == g["attrs"]
    assert isinstance(tf.__version__, str) is g["version_is_str"]
    assert (tf.version.VERSION == tf.__version__) is g["VERSION_eq___version__"]
    assert tf.__version__.startswith("2.")


def test_aliases_are_the_keras_namespaces():
    assert tf.metrics is keras.metrics and tf.losses is keras.losses and tf.optimizers is keras.optimizers
    assert tf.initializers is keras.initializers  # TF 2.21: tf.initializers.zeros() as the time_series tutorial


def test_io_matches_tf(tmp_path):
    g = GOLD["io"]
    fname = str(tmp_path / "f.txt")
    tf.io.write_file(fname, tf.constant("hello\nworld"))
    assert tf.io.read_file(fname).numpy() == g["read_file"][2:].encode("latin-1")
    blob = tf.io.serialize_tensor(tf.constant([[1.0, 2.0]]))
    assert tf.io.parse_tensor(blob, tf.float32).tolist() == g["roundtrip"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
        tf.io.parse_tensor(blob, tf.int32)
    strings = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(["a", "bc"])), tf.string)
    assert strings.numpy().tolist() == [b"a", b"bc"]
    assert tf.io.gfile.exists(fname) is g["gfile_exists"]
    assert [os.path.basename(p) for p in tf.io.gfile.glob(str(tmp_path / "*.txt"))] == g["glob"]
    tf.io.gfile.makedirs(str(tmp_path / "a" / "b"))
    with tf.io.gfile.GFile(str(tmp_path / "a" / "b" / "x.txt"), "w") as f:
        f.write("line1\nline2\n")
    assert list(tf.io.gfile.GFile(str(tmp_path / "a" / "b" / "x.txt"))) == [
        "line1\n",
        "line2\n",
    ]
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        tf.io.gfile.GFile(str(tmp_path / "missing.txt"))


def test_sparse_matches_tf():
    g = GOLD["sparse"]
    sp = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[3.0, 4.0], dense_shape=[3, 2])
    assert tf.sparse.to_dense(sp).tolist() == g["to_dense"]
    fd = tf.sparse.from_dense(tf.constant([[0, 5], [7, 0]]))
    assert fd.indices.tolist() == g["from_dense_indices"]
    assert fd.values.tolist() == g["from_dense_values"]
    assert fd.dense_shape.tolist() == g["from_dense_shape"]
    assert tf.sparse.sparse_dense_matmul(sp, tf.constant([[1.0, 2.0], [3.0, 4.0]])).tolist() == g["matmul"]
    assert str(sp.indices.dtype) == "torch." + g["indices_dtype"]


def test_ragged_matches_tf():
    g = GOLD["ragged"]
    rt = tf.ragged.constant([[1, 2, 3], [], [4]])
    assert rt.to_tensor().tolist() == g["to_tensor"]
    assert rt.to_tensor(default_value=-1).tolist() == g["to_tensor_default"]
    assert rt.row_lengths().tolist() == g["row_lengths"]
    assert rt.flat_values.tolist() == g["flat_values"]
    assert rt.to_list() == g["to_list"]
    assert str(rt.dtype) == "torch." + g["dtype"]
    assert list(rt.shape) == g["shape"]
    assert str(tf.ragged.constant([[1.0], [2.0, 3.0]]).dtype) == "torch." + g["float_dtype"]
    assert int(rt.nrows()) == g["nrows"]
    nested = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert nested.to_list() == [[[1, 2], [3]], [[4]]]
    assert nested.to_tensor().tolist() == [[[1, 2], [3, 0]], [[4, 0], [0, 0]]]


def test_saved_model_round_trips_a_module_and_a_keras_model(tmp_path):
    module = tf.Module(name="holder")
    module.v = tf.Variable([1.0, 2.0])
    module.parts = {"w": tf.Variable(3.0, trainable=False)}
    tf.saved_model.save(module, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert loaded.name == "holder" and loaded.v.numpy().tolist() == [1.0, 2.0]
    assert loaded.parts["w"].trainable is False and float(loaded.parts["w"].numpy()) == 3.0
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    tf.saved_model.save(model, str(tmp_path / "k"))
    revived = tf.saved_model.load(str(tmp_path / "k"))
    x = np.ones((1, 3), "float32")
    torch.testing.assert_close(revived(x), model(x))
    with pytest.raises(tf.errors.NotFoundError, match="not a capas SavedModel"):
        tf.saved_model.load(str(tmp_path))
    with pytest.raises(TypeError, match="expected a Keras model or a tf.Module"):
        tf.saved_model.save(object(), str(tmp_path / "x"))


def test_tf_ops_on_ragged_tensors_match_tf():
    g = GOLD["ragged_ops"]
    digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    assert tf.add(digits, 3).to_list() == g["add"]
    assert tf.multiply(digits, digits).to_list() == g["multiply_ragged"]
    mean = tf.reduce_mean(digits, axis=1)
    assert str(mean.dtype) == "torch." + g["reduce_mean_dtype"]
    np.testing.assert_allclose(mean.numpy(), np.array(g["reduce_mean"], dtype=float))
    assert tf.reduce_sum(digits, axis=1).tolist() == g["reduce_sum"]
    assert tf.reduce_max(digits, axis=1).tolist() == g["reduce_max"]
    assert tf.concat([digits, [[5, 3]]], axis=0).to_list() == g["concat"]
    assert tf.ragged.map_flat_values(lambda x: x * 2, digits).to_list() == g["map_flat_values"]
    rowids = tf.RaggedTensor.from_value_rowids(values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 3])
    assert rowids.to_list() == g["from_value_rowids"]
    assert tf.RaggedTensor.from_tensor(tf.constant([[1, 2, 0], [3, 0, 0]]), padding=0).to_list() == g["from_tensor"]
    assert digits.bounding_shape().tolist() == g["bounding_shape"]
    assert digits[1:3].to_list() == g["rows1to3"]
    with pytest.raises(TypeError):  # dense-only ops still refuse ragged input clearly
        tf.matmul(digits, digits)


def test_more_sparse_ops_match_tf():
    g = GOLD["sparse_ops"]
    st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[8, 10])
    st_b = tf.sparse.SparseTensor(indices=[[0, 2], [7, 0]], values=[56, 38], dense_shape=[8, 10])
    summed = tf.sparse.add(st_a, st_b)
    assert summed.indices.tolist() == g["add_indices"] and summed.values.tolist() == g["add_values"]
    unordered = tf.sparse.SparseTensor(indices=[[2, 1], [0, 0]], values=[5.0, 7.0], dense_shape=[3, 3])
    ordered = tf.sparse.reorder(unordered)
    assert ordered.indices.tolist() == g["reorder_indices"] and ordered.values.tolist() == g["reorder_values"]
    assert tf.sparse.reduce_sum(st_a, axis=1).tolist() == g["reduce_sum_axis1"]
    assert tf.sparse.reduce_sum(st_a).item() == g["reduce_sum_all"]
    sliced = tf.sparse.slice(st_a, start=[0, 0], size=[4, 3])
    assert sliced.indices.tolist() == g["slice_indices"] and sliced.values.tolist() == g["slice_values"]
    assert sliced.dense_shape.tolist() == g["slice_shape"]


def test_decode_csv_matches_tf():
    g = GOLD["decode_csv"]
    defaults = [
        tf.constant(0, dtype=tf.int32),
        tf.constant("", dtype=tf.string),
        0.0,
        0.0,
        "",
    ]
    cols = tf.io.decode_csv(
        tf.constant(["0,male,22.0,7.25,Third", "1,,,3.5,First"]),
        record_defaults=defaults,
    )
    assert [c.numpy().tolist() for c in cols] == [
        [v[2:].encode("latin-1") if isinstance(v, str) else v for v in col] for col in g["values"]
    ]
    assert [c.dtype.name if c.dtype is tf.string else str(c.dtype)[6:] for c in cols] == g["dtypes"]
    selected = tf.io.decode_csv(["1,a,2.5"], record_defaults=[0, 0.0], select_cols=[0, 2])
    assert [c.tolist() for c in selected] == g["select"]
    with pytest.raises(getattr(tf.errors, g["missing_required"]), match="Field 1 is required"):
        tf.io.decode_csv(["1,"], record_defaults=[0, tf.constant([], tf.int32)])
