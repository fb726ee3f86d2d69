"""Max/average pooling (1D/2D/3D) and global pooling against keras and a numpy oracle."""

import itertools

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


POOL_CASES = [
    ("MaxPooling1D", (2, 8, 3), dict()),
    ("MaxPooling1D", (2, 7, 3), dict(pool_size=3, strides=2, padding="same")),
    ("MaxPooling1D", (2, 3, 7), dict(pool_size=2, data_format="channels_first")),
    ("MaxPooling2D", (2, 6, 6, 3), dict()),
    ("MaxPooling2D", (2, 7, 6, 3), dict(pool_size=(3, 2), strides=(2, 1), padding="same")),
    ("MaxPooling2D", (2, 6, 6, 3), dict(pool_size=2, strides=2, padding="same")),
    ("MaxPooling2D", (2, 3, 7, 6), dict(pool_size=3, strides=1, padding="same", data_format="channels_first")),
    ("MaxPooling3D", (2, 4, 4, 5, 2), dict(pool_size=2, padding="same")),
    ("AveragePooling1D", (2, 8, 3), dict(pool_size=2)),
    ("AveragePooling1D", (2, 7, 3), dict(pool_size=3, strides=1, padding="same")),
    ("AveragePooling2D", (2, 6, 6, 3), dict(pool_size=(2, 2))),
    ("AveragePooling2D", (2, 7, 7, 3), dict(pool_size=3, strides=2, padding="same")),
    ("AveragePooling2D", (2, 3, 6, 6), dict(pool_size=3, strides=1, padding="same", data_format="channels_first")),
    ("AveragePooling3D", (2, 4, 4, 4, 2), dict(pool_size=2)),
    ("GlobalMaxPooling1D", (2, 5, 3), dict()),
    ("GlobalMaxPooling2D", (2, 4, 5, 3), dict(keepdims=True)),
    ("GlobalMaxPooling3D", (2, 3, 4, 5, 3), dict(data_format="channels_first")),
    ("GlobalAveragePooling1D", (2, 5, 3), dict(data_format="channels_first")),
    ("GlobalAveragePooling2D", (2, 4, 5, 3), dict()),
    ("GlobalAveragePooling3D", (2, 3, 4, 5, 3), dict(keepdims=True)),
]


@pytest.mark.parametrize("name,shape,kwargs", POOL_CASES)
def test_pooling_matches_keras(ref, name, shape, kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape), copy_weights=False)
    mine, keras_config = ours.get_config(), theirs.get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config


def _tf_avg_pool_same_1d(x, k, s):
    """TensorFlow's 'same' average pooling of (batch, steps, channels): padding not counted."""
    n = x.shape[1]
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    start = -(total // 2)
    rows = []
    for i in range(out):
        lo, hi = max(start + i * s, 0), min(start + i * s + k, n)
        rows.append(x[:, lo:hi].mean(axis=1))
    return np.stack(rows, axis=1)


@pytest.mark.parametrize("n,k,s", [(6, 2, 2), (7, 4, 2), (8, 3, 2), (5, 4, 1), (9, 2, 3)])
def test_average_same_excludes_padding_as_tensorflow(n, k, s):
    x = _x((2, n, 3))
    y = layers.AveragePooling1D(k, s, padding="same")(x).numpy()
    np.testing.assert_allclose(y, _tf_avg_pool_same_1d(x, k, s), rtol=1e-6, atol=1e-6)
    # In 2-D the divisor is the product of the per-dim counts.
    x2 = _x((1, n, n, 1))
    y2 = layers.AveragePooling2D(k, s, padding="same")(x2).numpy()[0, :, :, 0]
    rows = _tf_avg_pool_same_1d(x2[0], k, s)  # pool along dim 1 per row block
    ref2 = _tf_avg_pool_same_1d(np.transpose(rows, (1, 0, 2)), k, s)
    np.testing.assert_allclose(y2, np.transpose(ref2, (1, 0, 2))[:, :, 0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("n,k,s", [(6, 2, 2), (7, 4, 2), (8, 3, 2)])
def test_max_same_asymmetric_matches_numpy(n, k, s):
    x = _x((2, n, 3))
    y = layers.MaxPooling1D(k, s, padding="same")(x).numpy()
    out = -(-n // s)
    start = -(max((out - 1) * s + k - n, 0) // 2)
    expected = np.stack([x[:, max(start + i * s, 0) : start + i * s + k].max(axis=1) for i in range(out)], axis=1)
    np.testing.assert_allclose(y, expected)


@pytest.mark.parametrize("keepdims,data_format", itertools.product([False, True], ["channels_last", "channels_first"]))
def test_global_average_1d_mask_matches_keras(ref, keepdims, data_format):
    x = _x((3, 5, 4)) if data_format == "channels_last" else _x((3, 4, 5))
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1], [1, 0, 1, 0, 1]], bool)
    ours = layers.GlobalAveragePooling1D(keepdims=keepdims, data_format=data_format)
    theirs = ref.layers.GlobalAveragePooling1D(keepdims=keepdims, data_format=data_format)
    assert_matches_keras(ours, theirs, x, copy_weights=False, call_kwargs={"mask": torch.tensor(mask)})


@pytest.mark.parametrize(
    "name,shape,kwargs",
    POOL_CASES
    + [
        ("AveragePooling1D", (2, 7, 3), dict(pool_size=2, padding="same")),
    ],
)
def test_pooling_contract(name, shape, kwargs):
    run_layer_test(
        getattr(layers, name), kwargs, input_shape=shape, expected_num_trainable_weights=0, run_training_check=False
    )


def test_symbolic_same_pooling_with_unknown_dims():
    out = layers.MaxPooling2D(3, 2, padding="same")(keras.Input((None, 7, 3)))
    assert out.shape == (None, None, 4, 3)


def test_pool_larger_than_valid_input():
    layer = layers.MaxPooling2D(4, name="pool_a")
    with pytest.raises(ValueError, match=r"MaxPooling2D 'pool_a'.*pool_size \(4, 4\) is larger than.*\(3, 3\)"):
        layer(torch.ones(1, 3, 3, 2))


def test_pooling_wrong_rank():
    with pytest.raises(ValueError, match=r"MaxPooling2D 'pool_b' expects a 4-D input.*3-D.*\(6, 6, 3\)"):
        layers.MaxPooling2D(name="pool_b")(torch.ones(6, 6, 3))


def test_bad_padding_lists_closest():
    with pytest.raises(ValueError, match=r"Did you mean 'same'"):
        layers.AveragePooling2D(padding="sam")
