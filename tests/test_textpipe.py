"""The text pipeline against TF-recorded goldens (tests/goldens/textpipe): string shape ops,
TextVectorization with `tf.strings` callables, and a text model fed a string tensor."""

import json
import pathlib

import pytest

import capas as tf
from capas import keras
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "textpipe"
CASES = load_cases(HERE).CASES
GOLDENS = json.loads((HERE / "goldens.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    assert CASES[name](tf, keras) == GOLDENS[name]


def test_string_dispatch_keeps_refusing_arithmetic():
    with pytest.raises(TypeError):
        tf.reduce_sum(tf.constant(["a", "b"]))
