"""tf.strings hash buckets, segment join, n-grams, transcoding and offsets against TF 2.21 (tests/goldens/tfstrings2)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parents[1] / "goldens" / "tfstrings2"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())
PARAMS = [(g, k) for g in cases.CASES for k in sorted(EXPECTED[g])]
_GOT = {}


def _got(group):
    if group not in _GOT:
        _GOT[group] = cases.CASES[group](tf)
    return _GOT[group]


@pytest.mark.parametrize(("group", "key"), PARAMS, ids=[f"{g}-{k}" for g, k in PARAMS])
def test_strings_as_tf(group, key):
    assert _got(group)[key] == EXPECTED[group][key]


def test_segment_id_out_of_range_names_the_bound():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"segment id 3 must be in \[0, num_segments=2\)"):
        tf.strings.unsorted_segment_join(["a"], [3], 2)


def test_hash_bucket_strong_needs_two_ints():
    with pytest.raises(ValueError, match="two ints"):
        tf.strings.to_hash_bucket_strong(["a"], 5, key=[1])
