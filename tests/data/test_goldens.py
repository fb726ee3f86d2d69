"""capas.data against pipelines recorded from real TensorFlow (tests/goldens/data)."""

import json
import os
import sys

import pytest

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "goldens", "data")
sys.path.insert(0, GOLDENS)

from cases import CASES, run_case  # noqa: E402

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["cases"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_pipeline_matches_tensorflow(name, tmp_path):
    expected = RECORDED[name]
    if "error" in expected:
        with pytest.raises(Exception):  # noqa: B017 - TF raised; capas must refuse too
            run_case(tf, CASES[name], str(tmp_path))
        return
    got = run_case(tf, CASES[name], str(tmp_path))
    for key in ("value", "elements", "spec", "cardinality"):
        if key in expected:
            assert got[key] == expected[key], f"{name}: {key} differs from TensorFlow"
