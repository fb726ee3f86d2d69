"""The top-level tfdata2 names (as_string, edit_distance, fingerprint, TypeSpecs)
against values recorded from real TensorFlow (tests/goldens/tftop)."""

import json
import os

import numpy as np
import pytest

from tests.goldens._exec_cases import check
from tests.goldens._load import load_cases

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "goldens", "tftop")
_cases = load_cases(GOLDENS)
CASES, run_case = _cases.CASES, _cases.run_case

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["cases"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name, tmp_path):
    check(tf, name, CASES[name], run_case, RECORDED[name], str(tmp_path))


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.startswith("tensor_proto_")))
def test_make_ndarray_reads_the_protos_tensorflow_wrote(name):
    """TF's serialized TensorProto (recorded) parsed by capas gives TF's array."""
    from capas.io._tensor_proto import tensor_proto_class

    serialized, array = RECORDED[name]["value"]
    proto = tensor_proto_class().FromString(serialized[2:].encode("latin-1"))
    assert _cases.encode(tf.make_ndarray(proto)) == array


def test_make_tensor_proto_refuses_values_that_do_not_fill_the_shape():
    with pytest.raises(ValueError, match="do not fill"):
        tf.make_tensor_proto([1, 2], shape=[3])


def test_deserialize_many_sparse_reads_what_tensorflow_serialized():
    ser, indices, values, dense_shape = RECORDED["serialize_many_sparse_roundtrip"]["value"]
    rows = np.array([[b.encode("latin-1") for b in ser[2][i : i + 3]] for i in range(0, len(ser[2]), 3)], dtype=object)
    got = tf.io.deserialize_many_sparse(tf.StringTensor(rows), tf.float32)
    assert _cases.encode((got.indices, got.values, got.dense_shape)) == [indices, values, dense_shape]
