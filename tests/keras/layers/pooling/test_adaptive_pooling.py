"""Adaptive{Average,Max}Pooling{1,2,3}D against Keras (torch backend); the layer contract (config, .keras save)."""

import numpy as np
import pytest

from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test
from tests.conftest import keras_reference

CASES = [
    ("AdaptiveAveragePooling1D", 4, "channels_last", (2, 9, 3), (2, 4, 3)),
    ("AdaptiveAveragePooling2D", (3, 2), "channels_last", (2, 7, 5, 3), (2, 3, 2, 3)),
    ("AdaptiveAveragePooling3D", 2, "channels_first", (2, 3, 5, 6, 4), (2, 3, 2, 2, 2)),
    ("AdaptiveMaxPooling1D", 5, "channels_first", (2, 3, 11), (2, 3, 5)),
    ("AdaptiveMaxPooling2D", 3, "channels_last", (2, 7, 8, 2), (2, 3, 3, 2)),
    ("AdaptiveMaxPooling3D", (2, 3, 1), "channels_last", (1, 5, 6, 4, 2), (1, 2, 3, 1, 2)),
]


@pytest.mark.parametrize("name,size,data_format,shape,out_shape", CASES)
def test_adaptive_pooling_matches_keras(name, size, data_format, shape, out_shape):
    keras = keras_reference()
    x = np.random.RandomState(0).randn(*shape).astype("float32")
    ours = getattr(layers, name)(size, data_format=data_format)
    theirs = getattr(keras.layers, name)(size, data_format=data_format)
    assert_matches_keras(ours, theirs, x)
    assert tuple(ours.compute_output_shape(shape)) == out_shape
    config = ours.get_config()
    assert config["output_size"] == tuple(theirs.get_config()["output_size"])
    assert config["data_format"] == theirs.get_config()["data_format"]


@pytest.mark.parametrize("name,size,data_format,shape,out_shape", CASES)
def test_adaptive_pooling_layer_contract(name, size, data_format, shape, out_shape):
    run_layer_test(
        getattr(layers, name),
        {"output_size": size, "data_format": data_format},
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=0,
        run_training_check=False,
    )


def test_adaptive_pooling_rejects_a_wrong_output_size_and_rank():
    with pytest.raises(TypeError, match="tuple of 2 integers"):
        layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="expects a 4-D input"):
        layers.AdaptiveMaxPooling2D(2)(np.ones((2, 5, 3), "float32"))
