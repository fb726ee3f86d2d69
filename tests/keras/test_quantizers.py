"""keras.quantizers against Keras's (torch backend), same inputs."""

import numpy as np
import pytest
import torch

from capas import keras
from tests.conftest import keras_reference


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
@pytest.mark.parametrize("to_numpy", [False, True])
@pytest.mark.parametrize("value_range", [(-127, 127), (-8, 7)])
def test_abs_max_quantize_matches_keras(axis, to_numpy, value_range):
    ref = keras_reference()
    x = torch.tensor(np.random.default_rng(0).normal(size=(4, 6)).astype("float32"))
    mine = keras.quantizers.abs_max_quantize(x, axis, value_range, "int8", to_numpy=to_numpy)
    theirs = ref.quantizers.abs_max_quantize(x, axis, value_range, "int8", to_numpy=to_numpy)
    np.testing.assert_array_equal(_np(mine[0]), _np(theirs[0]))
    assert str(mine[0].dtype) == str(theirs[0].dtype)
    np.testing.assert_allclose(_np(mine[1]), _np(theirs[1]), rtol=1e-6)


def test_abs_max_quantizer_object_config_and_registry_match_keras():
    ref = keras_reference()
    x = torch.tensor(np.random.default_rng(1).normal(size=(3, 5)).astype("float32"))
    for kwargs in ({}, {"axis": 0}, {"value_range": (-100, 100), "epsilon": 1e-3}):
        mine, theirs = keras.quantizers.AbsMaxQuantizer(**kwargs), ref.quantizers.AbsMaxQuantizer(**kwargs)
        np.testing.assert_array_equal(_np(mine(x)[0]), _np(theirs(x)[0]))
        assert mine.get_config() == theirs.get_config()
        assert keras.quantizers.serialize(mine) == ref.quantizers.serialize(theirs)
        back = keras.quantizers.deserialize(ref.quantizers.serialize(theirs))
        assert back.get_config() == theirs.get_config()
    assert isinstance(keras.quantizers.get("abs_max_quantizer"), keras.quantizers.AbsMaxQuantizer)
    assert keras.Quantizer is keras.quantizers.Quantizer
    for k in (keras, ref):
        with pytest.raises(ValueError, match="requires value_range"):
            k.quantizers.AbsMaxQuantizer(value_range=(-300, 300))


def test_float8_helpers_match_keras():
    ref = keras_reference()
    amax = torch.tensor([3.0, 0.0, float("inf"), 0.5])
    scale = torch.tensor([2.0, 4.0, 0.5, 1.0])
    for margin in (0, 2):
        np.testing.assert_allclose(
            _np(keras.quantizers.compute_float8_scale(amax, scale, 448.0, margin)),
            _np(ref.quantizers.compute_float8_scale(amax, scale, 448.0, margin)),
        )
    history = torch.tensor([1.0, 2.0, 3.0, 4.0])
    x = torch.tensor([[-7.5, 2.0]])
    np.testing.assert_array_equal(
        _np(keras.quantizers.compute_float8_amax_history(x, history)),
        _np(ref.quantizers.compute_float8_amax_history(x, history)),
    )
    values = torch.tensor([0.013, -1.7, 300.0, 1e5, -1e5])
    for dtype in ("float8_e4m3fn", "float8_e5m2"):
        np.testing.assert_array_equal(
            _np(keras.quantizers.quantize_and_dequantize(values, torch.tensor(0.5), dtype, "float32")),
            _np(ref.quantizers.quantize_and_dequantize(values, torch.tensor(0.5), dtype, "float32")),
        )


@pytest.mark.parametrize("shape, axis", [((5, 3), 0), ((4, 3), 0), ((3, 5), 1), ((2, 3, 5), -1), ((3, 4, 2), 1)])
@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_int4_packing_matches_keras_and_round_trips(shape, axis, dtype):
    ref = keras_reference()
    rng = np.random.default_rng(2)
    low, high = (-8, 8) if dtype == "int8" else (0, 16)
    values = torch.tensor(rng.integers(low, high, size=shape).astype(dtype))
    mine = keras.quantizers.pack_int4(values, axis=axis, dtype=dtype)
    theirs = ref.quantizers.pack_int4(values, axis=axis, dtype=dtype)
    np.testing.assert_array_equal(_np(mine[0]), _np(theirs[0]))
    assert mine[1:] == theirs[1:]
    unpacked = keras.quantizers.unpack_int4(mine[0], mine[2], axis=axis, dtype=dtype)
    np.testing.assert_array_equal(_np(unpacked), _np(ref.quantizers.unpack_int4(theirs[0], theirs[2], axis, dtype)))
    np.testing.assert_array_equal(_np(unpacked), _np(values))
    with pytest.raises(TypeError, match="Expected int8 tensor for packing"):
        keras.quantizers.pack_int4(values.to(torch.int32), axis=axis)
