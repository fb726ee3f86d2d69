"""A layer with dtype='float32' in a mixed-precision model computes and returns float32 (conformance 058)."""

import numpy as np
import torch

from capas import keras
from capas.keras import layers


def test_float32_output_layer_under_mixed_policy():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        inputs = keras.Input((4,))
        x = layers.Dense(3)(inputs)
        outputs = layers.Activation("softmax", dtype="float32")(x)
        assert str(outputs.dtype).endswith("float32")
        model = keras.Model(inputs, outputs)
        y = model(np.ones((2, 4), "float32"))
        assert y.dtype == torch.float32
        hidden = model.layers[1](np.ones((2, 4), "float32"))
        assert hidden.dtype == torch.float16
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_float32_dense_casts_half_inputs():
    dense = layers.Dense(2, dtype="float32")
    out = dense(torch.ones((1, 3), dtype=torch.float16))
    assert out.dtype == torch.float32
