"""Permute, RepeatVector, Cropping1D/2D/3D, ZeroPadding1D/2D/3D and UpSampling1D/2D/3D against keras."""

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


CASES = [
    ("Permute", {"dims": (2, 1)}, (2, 3, 4)),
    ("Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5)),
    ("RepeatVector", {"n": 3}, (2, 4)),
    ("Cropping1D", {}, (2, 6, 3)),
    ("Cropping1D", {"cropping": (2, 0)}, (2, 6, 3)),
    ("Cropping2D", {"cropping": ((1, 2), (0, 1))}, (2, 6, 5, 3)),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 3, 6, 5)),
    ("Cropping3D", {}, (2, 4, 5, 6, 2)),
    ("Cropping3D", {"cropping": (1, 0, 2)}, (2, 4, 5, 6, 2)),
    ("ZeroPadding1D", {}, (2, 4, 3)),
    ("ZeroPadding1D", {"padding": (0, 2)}, (2, 4, 3)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (2, 4, 4, 3)),
    ("ZeroPadding2D", {"padding": 2, "data_format": "channels_first"}, (2, 3, 4, 4)),
    ("ZeroPadding3D", {"padding": (1, 0, 2)}, (2, 3, 3, 3, 2)),
    ("UpSampling1D", {"size": 3}, (2, 4, 3)),
    ("UpSampling2D", {}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": (2, 3), "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bicubic", "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling3D", {"size": (1, 2, 3)}, (2, 2, 3, 2, 2)),
]


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_reshaping_matches_keras(ref, name, kwargs, shape):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape), copy_weights=False)
    mine, keras_config = ours.get_config(), theirs.get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config
    sym = getattr(layers, name)(**kwargs)(keras.Input(shape[1:]))
    assert sym.shape == (None,) + tuple(ours(_x(shape)).shape[1:])


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_reshaping_contract(name, kwargs, shape):
    run_layer_test(
        getattr(layers, name), kwargs, input_shape=shape, expected_num_trainable_weights=0, run_training_check=False
    )


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Permute 'pm': `dims` must be a permutation of 1..2"):
        layers.Permute((0, 1), name="pm")
    with pytest.raises(ValueError, match=r"Cropping2D 'cr': cropping \(\(2, 2\), \(0, 0\)\) removes all of dim 1"):
        layers.Cropping2D(((2, 2), (0, 0)), name="cr")(torch.ones(1, 4, 4, 1))
    with pytest.raises(ValueError, match=r"ZeroPadding2D 'zp': `padding` must be"):
        layers.ZeroPadding2D(padding=(1, 2, 3), name="zp")
    with pytest.raises(ValueError, match=r"Unknown interpolation: 'bilinea'. Did you mean: 'bilinear'"):
        layers.UpSampling2D(interpolation="bilinea")
    with pytest.raises(ValueError, match=r"RepeatVector 'rv' expects a 2-D input.*\(2, 3, 4\)"):
        layers.RepeatVector(2, name="rv")(torch.ones(2, 3, 4))
