"""Recurrent layers: LSTM/GRU/SimpleRNN outputs and states, Bidirectional, stateful-free cells.

Source: keras-team/keras-io guides/working_with_rnns.py (tensorflow/docs site/en/guide/keras/working_with_rnns)
Covers: Embedding + LSTM(return_sequences) + Dense shapes, GRU(return_sequences) into SimpleRNN,
return_state=True (output and states), initial_state passed to a second LSTM, Bidirectional(LSTM)
shapes and parameter counts, RNN(LSTMCell) equals LSTM with the same weights, and fixed-weight
LSTM/GRU outputs compared with TF.
"""
import numpy as np
from _target import init_weights, keras, layers, report

model = keras.Sequential([keras.Input((None,)), layers.Embedding(input_dim=1000, output_dim=64), layers.LSTM(128),
                          layers.Dense(10)])
report("lstm_model_params", model.count_params())
report("lstm_model_output", model.outputs[0].shape)

model = keras.Sequential([keras.Input((None,)), layers.Embedding(input_dim=1000, output_dim=64),
                          layers.GRU(256, return_sequences=True), layers.SimpleRNN(128), layers.Dense(10)])
report("gru_simple_rnn_params", model.count_params())

encoder_vocab, decoder_vocab = 1000, 2000
encoder_input = layers.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=encoder_vocab, output_dim=64)(encoder_input)
output, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(encoder_embedded)
encoder_state = [state_h, state_c]
decoder_input = layers.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=decoder_vocab, output_dim=64)(decoder_input)
decoder_output = layers.LSTM(64, name="decoder")(decoder_embedded, initial_state=encoder_state)
output = layers.Dense(10)(decoder_output)
seq2seq = keras.Model([encoder_input, decoder_input], output)
report("seq2seq_params", seq2seq.count_params())
report("encoder_state_shapes", [s.shape for s in encoder_state])

model = keras.Sequential([keras.Input((5, 10)), layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
                          layers.Bidirectional(layers.LSTM(32)), layers.Dense(10)])
report("bidirectional_params", model.count_params())
report("bidirectional_output", model.outputs[0].shape)

rng = np.random.default_rng(0)
x = rng.normal(size=(2, 4, 3)).astype("float32")
lstm = keras.Sequential([keras.Input((4, 3)), layers.LSTM(5, return_sequences=True)])
init_weights(lstm, seed=1, scale=0.4)
report("lstm_values", lstm(x), tol=1e-5)
cell_rnn = keras.Sequential([keras.Input((4, 3)), layers.RNN(layers.LSTMCell(5), return_sequences=True)])
cell_rnn.set_weights(lstm.get_weights())
report("rnn_cell_equals_lstm", bool(np.allclose(cell_rnn(x), lstm(x), atol=1e-6)))
gru = keras.Sequential([keras.Input((4, 3)), layers.GRU(5)])
init_weights(gru, seed=2, scale=0.4)
report("gru_weight_shapes", [w.shape for w in gru.weights])
report("gru_values", gru(x), tol=1e-5)
rnn = layers.LSTM(4, return_sequences=True, return_state=True)
whole_sequence_output, final_memory_state, final_carry_state = rnn(x)
report("return_state_shapes", [whole_sequence_output.shape, final_memory_state.shape, final_carry_state.shape])
