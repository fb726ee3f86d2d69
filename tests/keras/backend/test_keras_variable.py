"""`keras.Variable` with Keras 3's constructor, as the capas Variable (conformance 053).

Expected dtypes/values are those of the `keras` package (torch backend).
"""

import keras as real_keras
import numpy as np
import pytest

import capas as tf
from capas import keras


def _same(got, want):
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
    np.testing.assert_array_equal(got.detach().numpy(), np.asarray(want.numpy()))
    assert got.trainable == want.trainable


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((np.array([1.0, 2.0]),), {}),
        ((np.array([1.0, 2.0], "float32"),), {"trainable": False}),
        (("zeros",), {"shape": (2, 3)}),
        ((real_keras.initializers.Ones(),), {"shape": (2,), "dtype": "float64"}),
    ],
)
def test_matches_keras(args, kwargs):
    want = real_keras.Variable(*args, **kwargs)
    if not isinstance(args[0], (str, np.ndarray)):
        args = (keras.initializers.Ones(),)
    got = keras.Variable(*args, **kwargs)
    _same(got, want)


def test_is_the_capas_variable():
    v = keras.Variable(np.zeros(2, "float32"), name="w")
    assert isinstance(v, tf.Variable) and type(v) is tf.Variable
    assert isinstance(keras.layers.Dense(2, name="d").__class__, type)
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    assert isinstance(dense.kernel, keras.Variable)
    assert not isinstance(tf.constant(1.0), keras.Variable)
    assert keras.backend.Variable is keras.Variable


def test_callable_without_shape_is_refused():
    with pytest.raises(ValueError, match="shape"):
        keras.Variable("zeros")
