"""tf.image against values recorded from TensorFlow 2.21 (tests/goldens/image)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "image"
CASES = load_cases(HERE).CASES
GOLDENS = json.loads((HERE / "goldens.json").read_text())
DETERMINISTIC = CASES["deterministic"](tf)


@pytest.mark.parametrize("name", sorted(GOLDENS["deterministic"]))
def test_deterministic_op_matches_tensorflow(name):
    expected, got = GOLDENS["deterministic"][name], DETERMINISTIC[name]
    assert (got["shape"], got["dtype"]) == (expected["shape"], expected["dtype"])
    np.testing.assert_allclose(got["values"], expected["values"], rtol=1e-4, atol=1e-4)


def test_random_ops_give_tensorflow_shapes_dtypes_and_ranges():
    assert CASES["random"](tf) == GOLDENS["random"]


def test_bad_image_rank_names_the_op():
    with pytest.raises(ValueError, match="flip_left_right"):
        tf.image.flip_left_right(tf.zeros([4, 4]))
