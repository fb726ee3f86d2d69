"""tf.audio.encode_wav/decode_wav against TF 2.21 (recorded in tests/goldens/tfsummary)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parent / "goldens" / "tfsummary"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())["audio"]


@pytest.fixture(scope="module")
def got():
    return cases.audio(tf)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_audio_as_tf(got, key):
    if isinstance(EXPECTED[key], list):
        np.testing.assert_array_equal(np.asarray(got[key]), np.asarray(EXPECTED[key]))
    else:
        assert got[key] == EXPECTED[key]


def test_encode_wav_wants_two_dims():
    with pytest.raises(ValueError, match=r"\[samples, channels\].*\[5\].*expand_dims"):
        tf.audio.encode_wav(tf.zeros([5]), 8000)


def test_decode_wav_rejects_non_wav():
    with pytest.raises(ValueError, match="not a readable WAV"):
        tf.audio.decode_wav(b"hello")
