"""tf.lookup against TF 2.21 (recorded in tests/goldens/tflookup)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parent / "goldens" / "tflookup"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())

PARAMS = [(group, key) for group in cases.CASES for key in sorted(EXPECTED[group])]
_GOT = {}


def _got(group):
    if group not in _GOT:
        _GOT[group] = cases.CASES[group](tf)
    return _GOT[group]


@pytest.mark.parametrize(("group", "key"), PARAMS, ids=[f"{g}-{k}" for g, k in PARAMS])
def test_lookup_as_tf(group, key):
    assert _got(group)[key] == EXPECTED[group][key]


def test_wrong_key_dtype_names_both_dtypes():
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([1], tf.int64)), -1)
    with pytest.raises(TypeError, match="Keys must be dtype string, got int32"):
        table.lookup(tf.constant([1]))


def test_text_file_missing_field_says_which_line(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a\t1\nb\n")
    init = tf.lookup.TextFileInitializer(str(path), tf.string, 0, tf.int64, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"line 1 of .*v.txt.* has 1 field"):
        tf.lookup.StaticHashTable(init, -1)


def test_conflicting_duplicate_keys_refused():
    init = tf.lookup.KeyValueTensorInitializer(["a", "a"], tf.constant([1, 2], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="two values"):
        tf.lookup.StaticHashTable(init, -1)
