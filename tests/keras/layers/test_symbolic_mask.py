"""Masks travel through the functional API's symbolic calls, as in Keras (conformance 033).
Expected values from the `keras` package (torch backend)."""

import keras as real_keras
import numpy as np


def _run(k):
    class TemporalSoftmax(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            assert mask is not None, "mask missing"
            m = k.ops.expand_dims(k.ops.cast(mask, "float32"), -1)
            e = k.ops.exp(inputs) * m
            return e / k.ops.sum(e, axis=-1, keepdims=True)

    inputs = k.Input(shape=(None,), dtype="int32")
    x = k.layers.Embedding(10, 3, mask_zero=True, embeddings_initializer="ones")(inputs)
    assert x._keras_mask is not None
    x = k.layers.Dense(2, kernel_initializer="ones")(x)
    model = k.Model(inputs, TemporalSoftmax()(x))
    return np.asarray(model(np.array([[1, 2, 0], [3, 0, 0]], dtype="int32")).detach().cpu())


def test_mask_reaches_a_custom_layer_in_a_functional_graph():
    from capas import keras

    np.testing.assert_allclose(_run(keras), _run(real_keras), rtol=1e-6)
