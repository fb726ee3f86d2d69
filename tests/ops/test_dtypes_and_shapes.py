"""tf dtypes (torch dtypes), `as_dtype`'s DType and `TensorShape`."""

import pickle

import numpy as np
import pytest
import torch

import capas as tf

NAMES = [
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "complex64",
    "complex128",
]


@pytest.mark.parametrize("name", NAMES)
def test_tf_dtypes_are_torch_dtypes(name):
    assert getattr(tf, name) is getattr(torch, name)
    assert getattr(tf.dtypes, name) is getattr(torch, name)
    d = tf.dtypes.as_dtype(name)
    assert d.name == name
    assert d == getattr(torch, name) and getattr(torch, name) == d
    assert hash(d) == hash(getattr(torch, name))
    assert tf.as_dtype(getattr(torch, name)) == d


@pytest.mark.parametrize("spelling", ["float32", torch.float32, np.float32, np.dtype("float32"), 1, float])
def test_as_dtype_accepts_every_spelling(spelling):
    assert tf.dtypes.as_dtype(spelling).name == "float32"


@pytest.mark.parametrize("enum,name", [(1, "float32"), (2, "float64"), (3, "int32"), (9, "int64"), (10, "bool")])
def test_tf_integer_enums(enum, name):
    assert tf.dtypes.as_dtype(enum).name == name


def test_dtype_attributes_match_numpy():
    f = tf.dtypes.as_dtype("float32")
    i = tf.dtypes.as_dtype(tf.int32)
    assert f.is_floating and not f.is_integer and i.is_integer and not i.is_floating
    assert tf.dtypes.as_dtype("bool").is_bool and tf.dtypes.as_dtype("complex64").is_complex
    assert f.as_numpy_dtype is np.float32
    assert f.max == float(np.finfo(np.float32).max) and i.min == np.iinfo(np.int32).min
    assert f.size == 4 and repr(f) == "tf.float32"
    assert f != "int32" and f != None
    assert pickle.loads(pickle.dumps(f)) == f
    assert tf.cast([1], f).dtype == torch.float32
    assert tf.dtypes.cast([1.5], "int32").tolist() == [1]


def test_unknown_dtype_lists_known_names():
    with pytest.raises(TypeError, match="float32"):
        tf.dtypes.as_dtype("floaty")


def test_tensor_shape_basics():
    s = tf.TensorShape([None, 3])
    assert s.rank == 2 and s.ndims == 2 and len(s) == 2
    assert s.as_list() == [None, 3] and s[0] is None and s[1] == 3 and s[-1] == 3
    assert s == (None, 3) and s == [None, 3] and s == tf.TensorShape([None, 3]) and s != (2, 3)
    assert s[1:] == tf.TensorShape([3]) and list(s) == [None, 3]
    assert not s.is_fully_defined() and s.num_elements() is None
    assert repr(s) == "TensorShape([None, 3])" and str(s) == "(None, 3)"


def test_tensor_shape_from_torch_and_combinations():
    s = tf.TensorShape(torch.Size([2, 3]))
    assert s == (2, 3) and s.is_fully_defined() and s.num_elements() == 6
    assert s.concatenate([4]) == (2, 3, 4) and s + (4,) == (2, 3, 4)
    assert tf.TensorShape([None, 3]).merge_with([2, None]) == (2, 3)
    assert tf.TensorShape([None, 3]).is_compatible_with([5, 3])
    assert not tf.TensorShape([None, 3]).is_compatible_with([5, 4])
    assert tf.zeros(tf.TensorShape([2, 2])).shape == (2, 2)
    assert hash(tf.TensorShape([1, 2])) == hash(tf.TensorShape((1, 2)))


def test_unknown_rank_shape():
    s = tf.TensorShape(None)
    assert s.rank is None and s.dims is None and s[0] is None
    with pytest.raises(ValueError, match="unknown"):
        s.as_list()
    assert s.is_compatible_with([1, 2])


@pytest.mark.parametrize("bad", [[1.5], [-1], ["a"]])
def test_tensor_shape_rejects_bad_dims(bad):
    with pytest.raises((TypeError, ValueError)):
        tf.TensorShape(bad)


def test_tensor_spec():
    spec = tf.TensorSpec([None, 3], tf.float32, name="x")
    assert spec.shape == (None, 3) and spec.dtype == torch.float32
    assert spec.is_compatible_with(tf.zeros((4, 3)))
    assert not spec.is_compatible_with(tf.zeros((4, 2)))
    assert not spec.is_compatible_with(tf.zeros((4, 3), dtype="int32"))
    assert spec == tf.TensorSpec((None, 3), "float32", name="x")
    assert tf.TensorSpec.from_tensor(tf.zeros((2,))).shape == (2,)
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"

    @tf.function(input_signature=[spec])
    def f(x):
        return x + 1

    assert f(tf.zeros((1, 3))).shape == (1, 3)


# -- TensorFlow's names on torch.Size / torch.dtype (capas/_compat/shape_dtype.py) -----------


def test_torch_types_stay_immutable_after_capas_adds_names():
    from capas._compat._types import add_attribute

    for tp in (torch.Size, torch.dtype):
        with pytest.raises(TypeError, match="immutable"):
            tp.capas_test_attribute = 1
    with pytest.raises(RuntimeError, match="numel exists already"):
        add_attribute(torch.Size, "numel", lambda self: 0)


def test_added_names_do_not_leak_into_other_types():
    # A stale method-cache entry once made `torch.iinfo(...).max` and AST nodes' `name`
    # resolve to the properties added to torch.dtype.
    import ast

    assert torch.iinfo(torch.int8).max == 127 and torch.finfo(torch.float16).max == 65504.0
    assert ast.parse("async def f(): pass").body[0].name == "f"

    class Fresh:
        pass

    fresh = Fresh()
    fresh.name = "ok"
    fresh.max = 3
    assert (fresh.name, fresh.max) == ("ok", 3)


def test_dtype_equality_keeps_torch_identity_and_hash():
    assert torch.float32 == torch.float32 and (torch.float32 != torch.float32) is False
    assert torch.float32 != torch.float64 and torch.float32 != "float64"
    assert torch.int32 == tf.dtypes.as_dtype("int32") and torch.int32 == np.dtype("int32")
    assert torch.float32 != "not a dtype" and torch.float32 != 1 and torch.float32 != None
    assert len({torch.float32, torch.float32, torch.float64}) == 2
