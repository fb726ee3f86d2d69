"""Bidirectional, TimeDistributed, and RNNs inside models (symbolic shapes, Embedding masks, fit)."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_matches_keras(ref, same_as_keras, merge_mode, return_sequences):
    ours = layers.Bidirectional(layers.LSTM(3, return_sequences=return_sequences), merge_mode=merge_mode)
    theirs = ref.layers.Bidirectional(ref.layers.LSTM(3, return_sequences=return_sequences), merge_mode=merge_mode)
    same_as_keras(ours, theirs, [np.random.randn(2, 4, 5).astype("float32")])


@pytest.mark.parametrize("rnn", ["GRU", "SimpleRNN"])
def test_bidirectional_state_and_mask_match_keras(ref, same_as_keras, rnn):
    ours = layers.Bidirectional(getattr(layers, rnn)(3, return_sequences=True, return_state=True))
    theirs = ref.layers.Bidirectional(getattr(ref.layers, rnn)(3, return_sequences=True, return_state=True))
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    same_as_keras(ours, theirs, [np.random.randn(2, 4, 5).astype("float32")], {"mask": mask})


def test_bidirectional_weights_and_backward_layer(ref):
    forward = layers.GRU(2, name="enc")
    backward = layers.GRU(2, go_backwards=True, name="enc_back")
    layer = layers.Bidirectional(forward, backward_layer=backward)
    layer(torch.randn(1, 3, 4))
    assert layer.forward_layer.name == "forward_enc" and layer.backward_layer is backward
    assert len(layer.weights) == 6
    with pytest.raises(ValueError, match=r"different `go_backwards`"):
        layers.Bidirectional(layers.GRU(2), backward_layer=layers.GRU(2))
    with pytest.raises(ValueError, match=r"merge_mode 'max'"):
        layers.Bidirectional(layers.GRU(2), merge_mode="max")


@pytest.mark.parametrize("inner", ["dense", "conv_free_dense_relu"])
def test_time_distributed_matches_keras(ref, same_as_keras, inner):
    kwargs = {"activation": "relu"} if inner != "dense" else {}
    ours = layers.TimeDistributed(layers.Dense(4, **kwargs))
    theirs = ref.layers.TimeDistributed(ref.layers.Dense(4, **kwargs))
    same_as_keras(ours, theirs, [np.random.randn(2, 3, 5).astype("float32")])
    same_as_keras(ours, theirs, [np.random.randn(3, 2, 5).astype("float32")])


def test_time_distributed_needs_a_time_axis():
    with pytest.raises(ValueError, match=r"TimeDistributed 'td'.*at least 3 dimensions.*\(2, 5\)"):
        layers.TimeDistributed(layers.Dense(3), name="td")(torch.randn(2, 5))


def _text_model(lib, mask_zero=True, **lstm_kwargs):
    inputs = lib.Input(shape=(6,), dtype="int32")
    x = lib.layers.Embedding(20, 4, mask_zero=mask_zero)(inputs)
    x = lib.layers.LSTM(5, **lstm_kwargs)(x)
    return lib.Model(inputs, lib.layers.Dense(1)(x))


@pytest.mark.parametrize("padding", ["right", "left"])
def test_embedding_mask_zero_lstm_model_matches_keras(ref, padding):
    ours, theirs = _text_model(keras), _text_model(ref)
    theirs.set_weights(ours.get_weights())
    ids = np.random.randint(1, 20, size=(4, 6)).astype("int32")
    if padding == "right":
        ids[1, 3:] = 0
        ids[2, 1:] = 0
    else:
        ids[1, :2] = 0
        ids[3, :5] = 0
    np.testing.assert_allclose(ours(ids).numpy(), np.asarray(theirs(ids).detach()), atol=1e-5)


def test_symbolic_shapes_of_rnn_layers():
    inputs = keras.Input(shape=(7, 3))
    seq, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(inputs)
    assert seq.shape == (None, 7, 4) and h.shape == (None, 4) and c.shape == (None, 4)
    assert layers.Bidirectional(layers.GRU(2))(inputs).shape == (None, 4)
    assert layers.TimeDistributed(layers.Dense(6))(inputs).shape == (None, 7, 6)


def test_lstm_model_trains(ref):
    torch.manual_seed(0)
    model = _text_model(keras)
    model.compile(optimizer="adam", loss="mse")
    ids = np.random.randint(1, 20, size=(64, 6)).astype("int32")
    ids[::2, 4:] = 0
    y = (ids[:, :1] > 10).astype("float32")
    history = model.fit(ids, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
