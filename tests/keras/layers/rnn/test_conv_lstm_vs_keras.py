"""ConvLSTM1D/2D/3D against keras: outputs and gradients."""

import numpy as np
import pytest
import torch

from capas.keras import layers


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": "same"},
        {"strides": 2, "padding": "same"},
        {"dilation_rate": 2},
        {"return_sequences": True, "return_state": True},
        {"data_format": "channels_first"},
        {"go_backwards": True, "use_bias": False, "return_sequences": True},
        {"activation": "relu", "unit_forget_bias": False},
    ],
    ids=["valid", "same", "strided_same", "dilated", "state", "channels_first", "backwards_nobias", "relu"],
)
def test_conv_lstm2d_matches_keras(ref, same_as_keras, kwargs):
    x = np.random.randn(2, 3, 7, 6, 4).astype("float32")
    same_as_keras(layers.ConvLSTM2D(5, 3, **kwargs), ref.layers.ConvLSTM2D(5, 3, **kwargs), [x])


def test_conv_lstm1d_and_3d_match_keras(ref, same_as_keras):
    x1 = np.random.randn(2, 3, 7, 4).astype("float32")
    same_as_keras(layers.ConvLSTM1D(5, 3, padding="same"), ref.layers.ConvLSTM1D(5, 3, padding="same"), [x1])
    x3 = np.random.randn(2, 2, 4, 4, 4, 3).astype("float32")
    same_as_keras(layers.ConvLSTM3D(2, 2), ref.layers.ConvLSTM3D(2, 2), [x3])


def test_conv_lstm_mask_matches_keras(ref, same_as_keras):
    x = np.random.randn(2, 4, 5, 5, 2).astype("float32")
    mask = np.array([[1, 1, 0, 1], [1, 0, 0, 0]], dtype=bool)
    kwargs = {"padding": "same", "return_sequences": True}
    same_as_keras(layers.ConvLSTM2D(3, 3, **kwargs), ref.layers.ConvLSTM2D(3, 3, **kwargs), [x], {"mask": mask})


def test_conv_lstm_dropout_and_config(ref):
    layer = layers.ConvLSTM2D(3, 3, dropout=0.3, recurrent_dropout=0.3, seed=1)
    x = torch.randn(2, 3, 6, 6, 2)
    inference = layer(x)
    assert not np.allclose(layer(x, training=True).numpy(), inference.numpy())
    config = layer.get_config()
    assert set(ref.layers.ConvLSTM2D(3, 3).get_config()) - set(config) <= {"dtype"}
    assert layers.ConvLSTM2D.from_config(config).filters == 3


def test_conv_lstm_wrong_rank_names_layer():
    with pytest.raises(ValueError, match=r"ConvLSTM2D 'clstm' expects a 5-D input.*\(2, 3, 6, 2\)"):
        layers.ConvLSTM2D(3, 3, name="clstm")(torch.randn(2, 3, 6, 2))
