"""The tfdata2 names of tf.data.experimental against values recorded from real TensorFlow
(tests/goldens/tfdata2), plus the documented properties of what TF cannot pin down."""

import json
import os
import sqlite3

import pytest

from tests.goldens._load import load_cases

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "goldens", "tfdata2")
_cases = load_cases(GOLDENS)
CASES, run_case = _cases.CASES, _cases.run_case

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["cases"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name, tmp_path):
    expected = RECORDED[name]
    if "error" in expected:
        with pytest.raises(Exception):  # noqa: B017 - TF raised; capas must refuse too
            run_case(tf, CASES[name], str(tmp_path))
        return
    got = run_case(tf, CASES[name], str(tmp_path))
    for key in ("value", "elements", "spec", "cardinality"):
        if key in expected:
            assert got[key] == expected[key], f"{name}: {key} differs from TensorFlow"


def test_random_dataset_is_deterministic_with_a_seed():
    a = [int(x) for x in tf.data.experimental.RandomDataset(seed=3).take(5)]
    b = [int(x) for x in tf.data.experimental.RandomDataset(seed=3).take(5)]
    c = [int(x) for x in tf.data.experimental.RandomDataset(seed=4).take(5)]
    assert a == b and a != c and len(set(a)) == 5


def test_load_of_a_folder_without_a_saved_dataset_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="dataset.save"):
        tf.data.Dataset.load(str(tmp_path))


def test_save_load_keeps_strings_and_cardinality(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices((["a", "bc"], [1.0, 2.0]))
    ds.save(str(tmp_path / "s"))
    back = tf.data.Dataset.load(str(tmp_path / "s"))
    assert int(back.cardinality()) == 2
    assert [(s.numpy(), float(v)) for s, v in back] == [(b"a", 1.0), (b"bc", 2.0)]


def test_sql_dataset_refuses_other_drivers(tmp_path):
    sqlite3.connect(str(tmp_path / "d.db")).close()
    with pytest.raises(Exception, match="sqlite"):
        tf.data.experimental.SqlDataset("mysql", str(tmp_path / "d.db"), "select 1", tf.int32)


def test_pad_to_cardinality_refuses_a_longer_dataset():
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2, 3]})
    with pytest.raises(ValueError, match="more than the target"):
        ds.apply(tf.data.experimental.pad_to_cardinality(2))
