"""Behaviour fixed for conformance programs 097 onwards, checked against values recorded from TF
(tests/goldens/corpus3: cases.py holds the cases, cases.json TF's answers)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "corpus3"
CASES = load_cases(HERE)
GOLDEN = json.loads((HERE / "cases.json").read_text())["cases"]


def test_every_case_was_recorded():
    assert sorted(GOLDEN) == sorted(CASES.CASES)


@pytest.mark.parametrize("name", sorted(CASES.CASES))
def test_case_matches_tf(name):
    assert CASES.run_case(tf, name) == GOLDEN[name]
