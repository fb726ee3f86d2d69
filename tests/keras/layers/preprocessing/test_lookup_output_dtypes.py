"""Lookup encodings have TF's dtypes: int64 one_hot/multi_hot/count, float32 tf_idf (conformance 032).
Expected values recorded from TF 2.21 by tests/goldens/conformance_fixes/record.py."""

import json
import pathlib

import numpy as np
import pytest

from capas.keras import layers

GOLDEN = json.loads(
    (pathlib.Path(__file__).parents[3] / "goldens" / "conformance_fixes" / "lookup_dtypes.json").read_text()
)


def _layers(mode):
    extra = {"idf_weights": [1.0, 2.0, 3.0]} if mode == "tf_idf" else {}
    yield "string", layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode, **extra), ["c", "q", "a"]
    yield "integer", layers.IntegerLookup(vocabulary=[5, 6, 7], output_mode=mode, **extra), np.array([7, 9, 5])
    if mode != "one_hot":
        yield "text", layers.TextVectorization(vocabulary=["a", "b", "c"], output_mode=mode, **extra), ["a b a", "c q"]


@pytest.mark.parametrize("mode", sorted(GOLDEN))
def test_lookup_encodings_match_tf(mode):
    for kind, layer, data in _layers(mode):
        dtype, values = GOLDEN[mode][kind]
        out = layer(data)
        assert str(out.dtype).split(".")[-1] == dtype, (kind, mode)
        np.testing.assert_allclose(out.numpy(), np.array(values), rtol=1e-6, err_msg=f"{kind} {mode}")
