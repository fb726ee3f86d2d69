"""SimpleRNN, LSTM, GRU and RNN(cell) against keras: outputs and gradients, fused and loop paths."""

import numpy as np
import pytest
import torch

from capas.keras.layers.rnn.gru import GRU, GRUCell
from capas.keras.layers.rnn.lstm import LSTM, LSTMCell
from capas.keras.layers.rnn.rnn import RNN
from capas.keras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from capas.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells

LAYERS = [
    ("LSTM", LSTM, {}),
    ("GRU", GRU, {}),
    ("GRU", GRU, {"reset_after": False}),
    ("SimpleRNN", SimpleRNN, {}),
    ("SimpleRNN", SimpleRNN, {"activation": "relu"}),
]
IDS = ["lstm", "gru", "gru_reset_before", "simple_rnn", "simple_rnn_relu"]


def _make(ref, name, cls, kw, use_cudnn=None, **extra):
    kw = {**kw, **extra}
    ours_kw = dict(kw)
    if use_cudnn is not None and cls is not SimpleRNN:
        ours_kw["use_cudnn"] = use_cudnn
    ours = cls(5, **ours_kw)
    if use_cudnn is False and cls is SimpleRNN:
        ours.__dict__["_use_fused"] = False
    return ours, getattr(ref.layers, name)(5, **kw)


def _right_padded(batch, steps, rng):
    lengths = rng.integers(1, steps + 1, size=batch)
    lengths[0] = steps
    return np.arange(steps)[None, :] < lengths[:, None]


@pytest.mark.parametrize("use_cudnn", ["auto", False], ids=["fused", "loop"])
@pytest.mark.parametrize(
    "options",
    [
        {"return_sequences": True},
        {"return_sequences": False},
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True},
        {"use_bias": False, "return_state": True},
    ],
    ids=["seq", "last", "state", "backwards", "nobias"],
)
@pytest.mark.parametrize("name,cls,kw", LAYERS, ids=IDS)
def test_rnn_matches_keras(ref, same_as_keras, name, cls, kw, options, use_cudnn):
    ours, theirs = _make(ref, name, cls, kw, use_cudnn=use_cudnn, **options)
    x = np.random.randn(3, 4, 6).astype("float32")
    same_as_keras(ours, theirs, [x])


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("shape", [(1, 1, 2), (2, 7, 3)])
@pytest.mark.parametrize("name,cls,kw", LAYERS, ids=IDS)
def test_rnn_shapes_and_training_flag(ref, same_as_keras, name, cls, kw, shape, training):
    ours, theirs = _make(ref, name, cls, kw, return_sequences=True)
    same_as_keras(ours, theirs, [np.random.randn(*shape).astype("float32")], training=training)


@pytest.mark.parametrize("padding", ["right", "arbitrary"])
@pytest.mark.parametrize(
    "options",
    [{"return_sequences": True}, {"return_state": True}, {"return_sequences": True, "go_backwards": True}],
    ids=["seq", "state", "backwards"],
)
@pytest.mark.parametrize("name,cls,kw", LAYERS, ids=IDS)
def test_rnn_mask_matches_keras(ref, same_as_keras, name, cls, kw, options, padding):
    rng = np.random.default_rng(0)
    ours, theirs = _make(ref, name, cls, kw, **options)
    x = np.random.randn(4, 5, 3).astype("float32")
    mask = _right_padded(4, 5, rng) if padding == "right" else rng.random((4, 5)) > 0.4
    same_as_keras(ours, theirs, [x], {"mask": mask})


@pytest.mark.parametrize("name,cls,kw", LAYERS[:3], ids=IDS[:3])
def test_fused_and_loop_agree_with_mask_and_dropout(name, cls, kw):
    x = torch.randn(4, 6, 3)
    mask = torch.tensor(_right_padded(4, 6, np.random.default_rng(1)))
    fused = cls(5, return_sequences=True, dropout=0.3, **kw)
    loop = cls(5, return_sequences=True, dropout=0.3, use_cudnn=False, **kw)
    fused(x)
    loop(x)
    loop.set_weights(fused.get_weights())
    for training in (False, True):
        torch.manual_seed(7)
        a = fused(x, mask=mask, training=training)
        torch.manual_seed(7)
        b = loop(x, mask=mask, training=training)
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-6)
    inference = fused(x)
    assert not np.allclose(fused(x, training=True).numpy(), inference.numpy())


def test_fused_gradients_reach_keras_layout_variables():
    import capas as tf

    layer = GRU(4)
    x = torch.randn(2, 3, 5)
    layer(x)
    with tf.GradientTape() as tape:
        loss = layer(x).sum()
    grads = tape.gradient(loss, layer.trainable_weights)
    assert [tuple(g.shape) for g in grads] == [(5, 12), (4, 12), (2, 12)]
    assert all(float(g.abs().sum()) > 0 for g in grads)


@pytest.mark.parametrize("name,cls,kw", LAYERS[:2], ids=IDS[:2])
def test_initial_state_matches_keras(ref, same_as_keras, name, cls, kw):
    ours, theirs = _make(ref, name, cls, kw, return_sequences=True)
    x = np.random.randn(3, 4, 2).astype("float32")
    n_states = 2 if cls is LSTM else 1
    states = [np.random.randn(3, 5).astype("float32") for _ in range(n_states)]
    same_as_keras(ours, theirs, [x], {"initial_state": states}, grads=False)


@pytest.mark.parametrize(
    "options",
    [{"activation": "relu"}, {"recurrent_activation": "hard_sigmoid"}, {"unroll": True}, {"unit_forget_bias": False}],
)
def test_lstm_non_default_options_take_the_loop(ref, same_as_keras, options):
    ours, theirs = LSTM(5, return_sequences=True, **options), ref.layers.LSTM(5, return_sequences=True, **options)
    same_as_keras(ours, theirs, [np.random.randn(2, 4, 3).astype("float32")])


def test_recurrent_dropout_training(ref):
    x = torch.randn(3, 5, 4)
    a = LSTM(6, dropout=0.2, recurrent_dropout=0.3, seed=3)
    b = LSTM(6, dropout=0.2, recurrent_dropout=0.3, seed=3)
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    assert a.cell.implementation == 1
    np.testing.assert_allclose(a(x, training=True).numpy(), b(x, training=True).numpy())
    assert not np.allclose(a(x, training=True).numpy(), a(x).numpy())


@pytest.mark.parametrize("name,cls", [("LSTM", LSTM), ("GRU", GRU), ("SimpleRNN", SimpleRNN)])
def test_stateful_matches_keras(ref, name, cls):
    x1 = np.random.randn(2, 3, 4).astype("float32")
    x2 = np.random.randn(2, 3, 4).astype("float32")
    ours = cls(5, stateful=True)
    theirs = getattr(ref.layers, name)(5, stateful=True)
    theirs(x1)
    ours(x1)
    ours.set_weights(theirs.get_weights())
    theirs.reset_states()
    ours.reset_states()
    for x in (x1, x2):
        np.testing.assert_allclose(ours(x).numpy(), theirs(x).detach().numpy(), atol=1e-6)
    ours.reset_states()
    theirs.reset_states()
    np.testing.assert_allclose(ours(x2).numpy(), theirs(x2).detach().numpy(), atol=1e-6)
    with pytest.raises(ValueError, match=r"stateful with batch size 2.*batch of 3"):
        ours(np.zeros((3, 3, 4), "float32"))


@pytest.mark.parametrize("zero_output", [False, True])
def test_generic_rnn_and_stacked_cells_match_keras(ref, same_as_keras, zero_output):
    ours = RNN(
        StackedRNNCells([LSTMCell(4), GRUCell(3), SimpleRNNCell(2)]),
        return_sequences=True,
        return_state=True,
        zero_output_for_mask=zero_output,
    )
    theirs = ref.layers.RNN(
        ref.layers.StackedRNNCells([ref.layers.LSTMCell(4), ref.layers.GRUCell(3), ref.layers.SimpleRNNCell(2)]),
        return_sequences=True,
        return_state=True,
        zero_output_for_mask=zero_output,
    )
    x = np.random.randn(3, 5, 6).astype("float32")
    mask = np.random.default_rng(2).random((3, 5)) > 0.3
    same_as_keras(ours, theirs, [x], {"mask": mask})


def test_rnn_list_of_cells_is_stacked(ref, same_as_keras):
    ours = RNN([GRUCell(3), LSTMCell(2)])
    theirs = ref.layers.RNN([ref.layers.GRUCell(3), ref.layers.LSTMCell(2)])
    assert isinstance(ours.cell, StackedRNNCells)
    same_as_keras(ours, theirs, [np.random.randn(2, 3, 4).astype("float32")])


def test_custom_cell_in_rnn():
    import capas as tf
    from capas.keras.layers.layer import Layer

    class MinimalRNNCell(Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

        def call(self, inputs, states):
            h = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent_kernel)
            return h, [h]

    layer = RNN(MinimalRNNCell(3), return_sequences=True)
    x = torch.randn(2, 4, 5)
    out = layer(x)
    k, u = layer.weights
    h = torch.zeros(2, 3)
    for t in range(4):
        h = x[:, t] @ k + h @ u
    np.testing.assert_allclose(out[:, -1].numpy(), h.detach().numpy(), atol=1e-5)


def test_use_cudnn_true_refuses_a_loop_only_configuration():
    layer = LSTM(3, activation="relu", use_cudnn=True)
    with pytest.raises(ValueError, match=r"LSTM 'lstm.*fused kernel.*use_cudnn='auto'"):
        layer(torch.randn(2, 3, 4))


@pytest.mark.parametrize("cls", [LSTM, GRU, SimpleRNN])
def test_two_dimensional_input_names_layer_and_fix(cls):
    layer = cls(3, name="encoder")
    with pytest.raises(ValueError, match=r"'encoder' \(" + cls.__name__ + r"\).*3-D input.*\(4, 8\).*time axis"):
        layer(torch.randn(4, 8))


def test_config_round_trip_and_keras_keys(ref):
    for name, cls, kw in LAYERS:
        ours = cls(5, return_sequences=True, dropout=0.1, **kw)
        config = ours.get_config()
        theirs = getattr(ref.layers, name)(5, return_sequences=True, dropout=0.1, **kw).get_config()
        assert set(theirs) - set(config) <= {"dtype"}, set(theirs) - set(config)
        clone = cls.from_config(config)
        assert clone.units == 5 and clone.return_sequences and clone.dropout == 0.1


@pytest.mark.parametrize(
    "mask_kind,expect_fused", [("none", True), ("full", True), ("right", True), ("left", False), ("empty_row", False)]
)
def test_fused_kernel_is_used_when_the_mask_allows(monkeypatch, mask_kind, expect_fused):
    from capas.keras.layers.rnn import _fused

    calls = []
    real = _fused.run
    monkeypatch.setattr(_fused, "run", lambda *a, **k: calls.append(a[5]) or real(*a, **k))
    x = torch.randn(3, 4, 2)
    masks = {
        "none": None,
        "full": torch.ones(3, 4, dtype=torch.bool),
        "right": torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=torch.bool),
        "left": torch.tensor([[1, 1, 1, 1], [0, 0, 1, 1], [0, 1, 1, 1]], dtype=torch.bool),
        "empty_row": torch.tensor([[1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 0, 0]], dtype=torch.bool),
    }
    fused, loop = LSTM(3, return_sequences=True), LSTM(3, return_sequences=True, use_cudnn=False)
    fused(x)
    loop(x)
    loop.set_weights(fused.get_weights())
    calls.clear()
    mask = masks[mask_kind]
    np.testing.assert_allclose(fused(x, mask=mask).numpy(), loop(x, mask=mask).numpy(), atol=1e-6)
    assert (len(calls) == 1) == expect_fused
    if expect_fused:
        assert (calls[0] is not None) == (mask_kind == "right")  # lengths only when something is padded
