"""keras.backend get_value/set_value and dtype helpers; keras.utils pack/unpack and get_source_inputs."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from tests.conftest import keras_reference


def test_set_value_on_the_learning_rate_changes_training():
    optimizer = keras.optimizers.SGD(0.1)
    keras.backend.set_value(optimizer.learning_rate, 0.01)
    assert keras.backend.get_value(optimizer.learning_rate) == pytest.approx(0.01)


def test_get_value_of_a_tensor_and_a_variable():
    assert keras.backend.get_value(torch.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert isinstance(keras.backend.get_value(tf.Variable(3.0)), np.ndarray)


def test_set_value_refuses_a_non_variable():
    with pytest.raises(TypeError, match="not a variable"):
        keras.backend.set_value(3.0, 1.0)


# Python `int` is left out: Keras maps it to int32 on torch and to int64 on TensorFlow (capas: int64, as tf.keras).
@pytest.mark.parametrize("dtype", ["float32", "int64", float, bool, np.float64, torch.int32, "bool"])
def test_standardize_dtype_matches_keras(dtype):
    reference = keras_reference()
    assert keras.backend.standardize_dtype(dtype) == reference.backend.standardize_dtype(dtype)


@pytest.mark.parametrize(
    "dtypes", [("int32", "float32"), ("int8", "int16"), ("float16", "float32"), ("int32", float), ("bool", "int32")]
)
def test_result_type_matches_keras(dtypes):
    reference = keras_reference()
    assert keras.backend.result_type(*dtypes) == reference.backend.result_type(*dtypes)


def test_float_and_int_dtype_checks():
    assert keras.backend.is_float_dtype("bfloat16") and not keras.backend.is_float_dtype("int8")
    assert keras.backend.is_int_dtype("uint8") and not keras.backend.is_int_dtype("float16")


def test_pack_and_unpack_round_trip():
    x, y, w = np.ones(2), np.zeros(2), np.ones(2)
    assert keras.utils.unpack_x_y_sample_weight(keras.utils.pack_x_y_sample_weight(x, y, w)) == (x, y, w)
    assert keras.utils.unpack_x_y_sample_weight(keras.utils.pack_x_y_sample_weight(x)) == (x, None, None)


def test_get_source_inputs_walks_the_graph():
    a, b = keras.Input((2,)), keras.Input((2,))
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([b, keras.layers.Dense(2)(a)]))
    sources = keras.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is b and sources[1] is a
    assert keras.utils.is_keras_tensor(out) and not keras.utils.is_keras_tensor(np.ones(2))
