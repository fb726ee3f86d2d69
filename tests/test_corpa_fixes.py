"""Fixes found by conformance programs 063-068; expected values recorded from TF
(tests/goldens/corpa/record.py)."""

import json
import pathlib

import numpy as np

import capas as tf

GOLDEN = json.loads((pathlib.Path(__file__).parent / "goldens" / "corpa" / "values.json").read_text())


def test_python_complex_scalar_is_complex128():
    assert tf.constant(1 + 2j).dtype == tf.as_dtype(GOLDEN["complex_scalar_dtype"])
    assert tf.constant([1 + 2j, 3j]).dtype == tf.as_dtype(GOLDEN["complex_list_dtype"])
    np.testing.assert_allclose(tf.constant(1 + 2j).numpy(), 1 + 2j)


def test_to_number_of_ragged_strings_keeps_rows():
    got = tf.strings.to_number(tf.strings.split(tf.constant(["1.5 2", "", "3"])))
    want = GOLDEN["to_number_ragged"]
    assert isinstance(got, tf.RaggedTensor)
    assert got.dtype == tf.as_dtype(want["dtype"])
    assert got.to_list() == want["values"]
    assert got.row_lengths().numpy().tolist() == want["row_lengths"]


def test_to_number_of_ragged_strings_int_out_type():
    got = tf.strings.to_number(tf.ragged.constant([["7"], ["8", "-9"]]), out_type=tf.int32)
    want = GOLDEN["to_number_ragged_int"]
    assert got.dtype == tf.as_dtype(want["dtype"])
    assert got.to_list() == want["values"]
