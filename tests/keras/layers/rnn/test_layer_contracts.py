"""The shared layer contract (build, symbolic shape, config and .keras round trips, a fit step)
for the recurrent, attention and tensor preprocessing layers. (MultiHeadAttention takes two
positional inputs, which the checker does not call; test_saving_with_keras covers it in models.)"""

import pytest

from capas.keras import layers
from capas.keras.testing import run_layer_test

CASES = [
    (layers.SimpleRNN, {"units": 3}, (2, 4, 5), (2, 3), 3),
    (layers.LSTM, {"units": 3, "return_sequences": True}, (2, 4, 5), (2, 4, 3), 3),
    (layers.GRU, {"units": 3, "reset_after": False, "go_backwards": True}, (2, 4, 5), (2, 3), 3),
    (layers.RNN, {"cell": layers.LSTMCell(3)}, (2, 4, 5), (2, 3), 3),
    (layers.Bidirectional, {"layer": layers.GRU(2, return_sequences=True)}, (2, 4, 5), (2, 4, 4), 6),
    (layers.TimeDistributed, {"layer": layers.Dense(3)}, (2, 4, 5), (2, 4, 3), 2),
    (layers.ConvLSTM2D, {"filters": 2, "kernel_size": 3, "padding": "same"}, (2, 3, 5, 5, 2), (2, 5, 5, 2), 3),
    (layers.Rescaling, {"scale": 0.5, "offset": 1.0}, (2, 5), (2, 5), 0),
    (layers.CenterCrop, {"height": 2, "width": 3}, (2, 4, 5, 3), (2, 2, 3, 3), 0),
    (layers.Resizing, {"height": 6, "width": 2}, (2, 4, 5, 3), (2, 6, 2, 3), 0),
    (layers.RandomFlip, {"seed": 1}, (2, 4, 5, 3), (2, 4, 5, 3), 0),
    (layers.RandomRotation, {"factor": 0.2, "seed": 1}, (2, 4, 5, 3), (2, 4, 5, 3), 0),
    (layers.RandomZoom, {"height_factor": 0.2, "seed": 1}, (2, 4, 5, 3), (2, 4, 5, 3), 0),
    (layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.1, "seed": 1}, (2, 4, 5, 3), (2, 4, 5, 3), 0),
    (layers.RandomContrast, {"factor": 0.3, "seed": 1}, (2, 4, 5, 3), (2, 4, 5, 3), 0),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_weights", CASES, ids=[c[0].__name__ for c in CASES])
def test_layer_contract(cls, kwargs, shape, out_shape, n_weights):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=n_weights,
        run_training_check=n_weights > 0,
    )


@pytest.mark.parametrize(
    "cls,kwargs,n_weights",
    [
        (layers.Attention, {"use_scale": True, "score_mode": "concat"}, 2),
        (layers.AdditiveAttention, {}, 1),
    ],
)
def test_list_input_attention_contract(cls, kwargs, n_weights):
    run_layer_test(
        cls,
        kwargs,
        input_shape=[(2, 4, 6), (2, 5, 6)],
        expected_output_shape=(2, 4, 6),
        expected_num_trainable_weights=n_weights,
    )


@pytest.mark.parametrize(
    "cls,kwargs,dtype,out_shape",
    [
        (layers.Discretization, {"bin_boundaries": [0.0, 1.0]}, "float32", (2, 5)),
        (layers.CategoryEncoding, {"num_tokens": 4}, "int32", (2, 4)),
        (layers.IntegerLookup, {"vocabulary": [1, 2, 3]}, "int32", (2, 5)),
    ],
)
def test_integer_preprocessing_contract(cls, kwargs, dtype, out_shape):
    run_layer_test(
        cls,
        kwargs,
        input_shape=(2, 5),
        input_dtype=dtype,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=0,
        run_training_check=False,
    )
