"""Models with recurrent and attention layers move between capas and keras through .keras files."""

import numpy as np
import pytest

from capas import keras
from capas.keras import layers


def _rnn_model(lib):
    inputs = lib.Input((5, 3))
    x = lib.layers.Bidirectional(lib.layers.LSTM(4, return_sequences=True))(inputs)
    x = lib.layers.TimeDistributed(lib.layers.Dense(2))(x)
    x = lib.layers.GRU(3, return_sequences=True)(x)
    return lib.Model(inputs, lib.layers.SimpleRNN(2)(x))


def _attention_model(lib, gqa=False):
    inputs = lib.Input((5, 8))
    other = lib.Input((4, 6))
    x = lib.layers.MultiHeadAttention(2, 4)(inputs, other)
    if gqa:
        x = lib.layers.GroupQueryAttention(2, 4, 2)(x, x)
    x = lib.layers.Attention()([x, inputs])
    return lib.Model([inputs, other], lib.layers.AdditiveAttention()([x, x]))


@pytest.mark.parametrize(
    "build,shapes", [(_rnn_model, [(2, 5, 3)]), (_attention_model, [(2, 5, 8), (2, 4, 6)])], ids=["rnn", "attention"]
)
def test_files_move_both_ways(ref, tmp_path, build, shapes):
    xs = [np.random.rand(*s).astype("float32") for s in shapes]
    xs = xs[0] if len(xs) == 1 else xs
    ours = build(keras)
    ours.save(tmp_path / "ours.keras")
    theirs = ref.models.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(np.asarray(theirs(xs).detach()), ours(xs).numpy(), atol=1e-5)
    theirs = build(ref)
    theirs.save(tmp_path / "theirs.keras")
    back = keras.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(back(xs).numpy(), np.asarray(theirs(xs).detach()), atol=1e-5)
    assert isinstance(back.layers[1], (layers.Bidirectional, layers.MultiHeadAttention, layers.InputLayer))


def test_group_query_attention_loads_from_keras(ref, tmp_path):
    # Differs from Keras (known): capas writes class_name 'GroupedQueryAttention' where Keras writes its export
    # name 'GroupQueryAttention', so only this direction round-trips until saving learns export names.
    x = [np.random.rand(2, 5, 8).astype("float32"), np.random.rand(2, 4, 6).astype("float32")]
    theirs = _attention_model(ref, gqa=True)
    theirs.save(tmp_path / "theirs.keras")
    back = keras.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(back(x).numpy(), np.asarray(theirs(x).detach()), atol=1e-5)
