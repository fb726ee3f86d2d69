"""Behaviour fixed for conformance programs 081-094, checked against values recorded from TF
(tests/goldens/corpus2: cases.py holds the cases, cases.json TF's answers)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "corpus2"
CASES = load_cases(HERE)
GOLDEN = json.loads((HERE / "cases.json").read_text())["cases"]


def test_every_case_was_recorded():
    assert sorted(GOLDEN) == sorted(CASES.CASES)


@pytest.mark.parametrize("name", sorted(CASES.CASES))
def test_case_matches_tf(name):
    assert CASES.run_case(tf, name) == GOLDEN[name]


def test_reduce_join_of_ragged_names_what_it_cannot_join():
    rt = tf.ragged.constant([[["a"], ["b", "c"]], [["d"]]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="2-D ragged"):
        tf.strings.reduce_join(rt, axis=-1)
