"""Mixed precision policies: float32 variables, lower-precision compute through autocast."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers


@pytest.fixture
def mixed_bfloat16():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_mixed_bfloat16_trains_with_float32_variables(mixed_bfloat16):
    inputs = keras.Input((8,))
    model = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Dense(16, activation="relu")(inputs)))
    dense = model.layers[1]
    assert dense.dtype_policy.name == "mixed_bfloat16" and dense.compute_dtype == "bfloat16"
    assert dense.kernel.dtype == torch.float32
    x = np.random.rand(256, 8).astype("float32")
    y = (x[:, 0] * 3).astype("int64")
    assert model(x[:2]).dtype == torch.bfloat16
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(x[:4], verbose=0).dtype == np.float32
    assert dense.kernel.dtype == torch.float32


def test_policy_by_layer_argument_and_config():
    layer = layers.Dense(2, dtype="mixed_float16")
    assert layer.variable_dtype == "float32" and layer.compute_dtype == "float16"
    assert layers.Dense.from_config(layer.get_config()).dtype_policy.name == "mixed_float16"
    with pytest.raises(ValueError, match="mixed_float16"):
        keras.mixed_precision.Policy("mixed_int8")
