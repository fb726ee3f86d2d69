"""Zeros, Ones, Constant and Identity against keras.initializers (exact values)."""

import numpy as np
import pytest
import torch

from capas.keras import initializers


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


SHAPES = [(), (3,), (2, 5), (3, 3, 2, 4)]
DTYPES = [None, "float32", "float64", "float16", "int32", "int64"]


@pytest.mark.parametrize("name", ["Zeros", "Ones"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_zeros_ones_match_keras(keras, name, shape, dtype):
    ours = getattr(initializers, name)()(shape, dtype=dtype)
    ref = getattr(keras.initializers, name)()(shape, dtype=dtype)
    assert str(ours.dtype).removeprefix("torch.") == keras.backend.standardize_dtype(ref.dtype)
    np.testing.assert_array_equal(_np(ours), _np(ref))


@pytest.mark.parametrize("value", [0.0, 2.5, -3, 7])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [None, "float64", "int32"])
def test_constant_matches_keras(keras, value, shape, dtype):
    ours = initializers.Constant(value)(shape, dtype=dtype)
    ref = keras.initializers.Constant(value)(shape, dtype=dtype)
    assert str(ours.dtype).removeprefix("torch.") == keras.backend.standardize_dtype(ref.dtype)
    np.testing.assert_array_equal(_np(ours), _np(ref))


def test_constant_broadcasts_an_array_value(keras):
    value = np.array([1.0, 2.0, 3.0], dtype="float32")
    ours = initializers.Constant(value)((2, 3))
    ref = keras.initializers.Constant(value)((2, 3))
    np.testing.assert_array_equal(_np(ours), _np(ref))


def test_constant_rejects_a_value_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"Constant.*\(3,\).*\(2, 4\)"):
        initializers.Constant([1.0, 2.0, 3.0])((2, 4))


@pytest.mark.parametrize("gain", [1.0, 0.5, 3.0])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2)])
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_identity_matches_keras(keras, gain, shape, dtype):
    ours = initializers.Identity(gain=gain)(shape, dtype=dtype)
    ref = keras.initializers.Identity(gain=gain)(shape, dtype=dtype)
    np.testing.assert_array_equal(_np(ours), _np(ref))
    assert str(ours.dtype).removeprefix("torch.") == keras.backend.standardize_dtype(ref.dtype)


@pytest.mark.parametrize("shape", [(3,), (2, 2, 2)])
def test_identity_rejects_non_2d_shapes(shape):
    with pytest.raises(ValueError, match=rf"Identity.*2D.*rank {len(shape)}"):
        initializers.Identity()(shape)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.Zeros(),
        lambda m: m.Ones(),
        lambda m: m.Constant(1.5),
        lambda m: m.Constant(value=-2),
    ],
)
def test_get_config_matches_keras(keras, make):
    assert make(initializers).get_config() == make(keras.initializers).get_config()


def test_identity_config_keeps_gain():
    # Keras 3.15 drops `gain` from Identity's config; capas keeps it.
    init = initializers.Identity(gain=2.0)
    assert init.get_config() == {"gain": 2.0}
    clone = init.clone()
    np.testing.assert_array_equal(_np(clone((2, 2))), 2.0 * np.eye(2, dtype="float32"))


@pytest.mark.parametrize("value", [np.array([1.0, 2.0]), torch.tensor([1.0, 2.0])])
def test_constant_config_of_array_values_is_json_friendly(value):
    assert initializers.Constant(value).get_config() == {"value": [1.0, 2.0]}


@pytest.mark.parametrize("shape", [(None, 3), (-1,), (2.5,), ("a",)])
def test_bad_shapes_name_the_initializer(shape):
    with pytest.raises(ValueError, match=r"Zeros.*fully defined shape"):
        initializers.Zeros()(shape)


def test_shape_of_wrong_kind_is_a_type_error():
    with pytest.raises(TypeError, match=r"Ones.*shape.*tuple of ints"):
        initializers.Ones()(object())


def test_int_shape_and_torch_size_are_accepted():
    assert initializers.Ones()(3).shape == (3,)
    assert initializers.Ones()(torch.Size([2, 3])).shape == (2, 3)


@pytest.mark.parametrize("dtype", [torch.float64, np.float64, "float64"])
def test_dtype_spellings(dtype):
    assert initializers.Zeros()((2,), dtype=dtype).dtype == torch.float64


def test_meta_device_builds_shape_only_tensors():
    with torch.device("meta"):
        out = initializers.Constant(2.0)((2, 3))
    assert out.device.type == "meta" and out.shape == (2, 3)
