"""Behaviour fixed for the conformance corpus, checked against values recorded from TF
(tests/goldens/fixa: cases.py holds the programs, cases.json TF's answers)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "fixa"
CASES = load_cases(HERE)
GOLDEN = json.loads((HERE / "cases.json").read_text())["cases"]


@pytest.mark.parametrize("name", sorted(CASES.CASES))
def test_case_matches_tf(name):
    assert CASES.run_case(tf, CASES.CASES[name]) == GOLDEN[name]
