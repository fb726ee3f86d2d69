"""tf.nn transposed/depthwise convolutions, 3-d pooling, depth/space, CTC and small ops against TF 2.21 (tests/goldens/tfnn)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parents[1] / "goldens" / "tfnn"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())
PARAMS = [(g, k) for g in cases.CASES for k in sorted(EXPECTED[g])]
_GOT = {}


def _got(group):
    if group not in _GOT:
        _GOT[group] = cases.CASES[group](tf)
    return _GOT[group]


def _compare(got, want, key):
    if isinstance(want, list):
        assert len(got) == len(want), key
        for g, w in zip(got, want):
            _compare(g, w, key)
        return
    if want is None:
        assert got is None, key
        return
    if "value" not in want:  # a SparseTensor's parts
        assert got == want, key
        return
    assert got["shape"] == want["shape"], key
    assert got["dtype"] == want["dtype"], key
    scale = max(1.0, float(np.nanmax(np.abs(np.asarray(want["value"], dtype=float)))) if want["value"] else 1.0)
    np.testing.assert_allclose(got["value"], want["value"], rtol=1e-4, atol=2e-5 * scale, err_msg=key)


@pytest.mark.parametrize(("group", "key"), PARAMS, ids=[f"{g}-{k}" for g, k in PARAMS])
def test_nn_as_tf(group, key):
    _compare(_got(group)[key], EXPECTED[group][key], key)


def test_conv_transpose_channel_mismatch_names_the_filter_layout():
    with pytest.raises(ValueError, match=r"\[\*kernel, out_channels, in_channels\]"):
        tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 3]), tf.ones([3, 3, 5, 3]), [1, 4, 4, 4], 2)


def test_depth_to_space_indivisible_depth():
    with pytest.raises(ValueError, match="not divisible by block_size"):
        tf.nn.depth_to_space(tf.ones([1, 2, 2, 6]), 2)


def test_approx_min_k_is_exact_as_numpy():
    # TF 2.21 registers ApproxTopK on CPU for max only; the smallest k are numpy's sort
    scores = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    values, indices = tf.nn.approx_min_k(scores, 2)
    np.testing.assert_array_equal(values.numpy(), np.sort(scores, axis=-1)[:, :2])
    np.testing.assert_array_equal(indices.numpy(), np.argsort(scores, axis=-1)[:, :2])
    assert indices.dtype == tf.int32


def test_pool_with_dilations_says_what_to_do():
    with pytest.raises(NotImplementedError, match="space_to_batch"):
        tf.nn.pool(tf.ones([1, 4, 4, 1]), [2, 2], "MAX", dilations=[2, 2])
