"""A functional model hands each layer a plain tensor by a short path (`Layer._call_at_depth`); what
`Layer.__call__` would do at that depth still happens: the training flag, masks, a subclass's own
`__call__`, and `model.call(x)` called directly at the top level. Values from the `keras` package."""

import keras as real_keras
import numpy as np
import torch

from capas import keras


def _mlp(k):
    inputs = k.Input((4,))
    h = k.layers.Dense(8, activation="relu", kernel_initializer="glorot_uniform")(inputs)
    h = k.layers.Dropout(0.5, seed=1)(h)
    outputs = k.layers.Dense(3, activation="softmax")(h)
    return k.Model(inputs, outputs)


def _same_weights(src, dst):
    dst.set_weights([np.asarray(w) for w in src.get_weights()])


def test_inference_and_direct_call_match_keras():
    model, reference = _mlp(keras), _mlp(real_keras)
    _same_weights(model, reference)
    x = np.random.default_rng(0).random((5, 4), dtype=np.float32)
    want = np.asarray(reference(x, training=False))
    np.testing.assert_allclose(model(x, training=False).numpy(), want, rtol=1e-6, atol=1e-7)
    # `model.call` at the top level: each layer takes the top-level path, as `model(x)` does
    direct = model.call(torch.from_numpy(x))
    assert not direct.requires_grad
    np.testing.assert_allclose(direct.numpy(), want, rtol=1e-6, atol=1e-7)


def test_training_flag_reaches_layers_on_the_short_path():
    model = _mlp(keras)
    x = torch.ones(64, 4)
    assert torch.equal(model(x, training=False), model(x, training=False))
    assert not torch.equal(model(x, training=True), model(x, training=False))  # dropout is on


def test_masks_flow_along_the_short_path():
    def build(k):
        inputs = k.Input((3,))
        masked = k.layers.Masking(mask_value=0.0)(k.layers.Reshape((3, 1))(inputs))
        return k.Model(inputs, k.layers.GlobalAveragePooling1D()(masked))

    x = np.array([[1.0, 0.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float32)
    want = np.asarray(build(real_keras)(x))
    np.testing.assert_allclose(build(keras)(x).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(want[:, 0], [2.0, 2.0])  # the masked zeros are left out of the mean


def test_a_layer_with_its_own_dunder_call_keeps_it():
    calls = []

    class Counting(keras.layers.Layer):
        def __call__(self, *args, **kwargs):
            calls.append(1)
            return super().__call__(*args, **kwargs)

        def call(self, x):
            return x * 2.0

    inputs = keras.Input((2,))
    model = keras.Model(inputs, Counting()(inputs))
    calls.clear()
    out = model(torch.ones(1, 2))
    assert calls == [1]
    assert torch.equal(out, torch.full((1, 2), 2.0))
